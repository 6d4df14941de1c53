using System.Runtime.CompilerServices;
using Proxy.Cli.Client;
using Proxy.Traffic.Admin.Contracts;

namespace Proxy.Cli.Watch;

/// <summary>Reads <c>GET …/rollouts/current</c> every <paramref name="interval"/>.</summary>
public sealed class PollingRolloutFeed(AdminClient client, TimeSpan interval, TimeProvider time) : IRolloutFeed
{
    /// <summary>How often the rollout is read when there is no event stream.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    public async IAsyncEnumerable<RolloutResponse> ReadAsync(string route, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            yield return (await client.GetRolloutAsync(route, cancellationToken).ConfigureAwait(false)).Value;
            await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
