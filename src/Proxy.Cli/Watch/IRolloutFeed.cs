using Proxy.Traffic.Admin.Contracts;

namespace Proxy.Cli.Watch;

/// <summary>Where <c>rollout status --watch</c> gets a route's rollout from, each time it may have changed.</summary>
public interface IRolloutFeed
{
    /// <summary>The rollout now, then again after each possible change, until cancelled.</summary>
    IAsyncEnumerable<RolloutResponse> ReadAsync(string route, CancellationToken cancellationToken);
}
