namespace Proxy.Traffic.Rollouts.Coordination;

/// <summary>Coordination of a gateway that shares its rollouts with no other instance: it leads every rollout.</summary>
public sealed class SingleInstanceCoordination : IRolloutCoordination
{
    public bool IsShared => false;

    public string Instance => Environment.MachineName;

    public Task<bool> TryLeadAsync(string routeId, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task ReleaseAsync(string routeId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<RolloutCommandReply?> RelayAsync(string routeId, RolloutCommand command, TimeSpan timeout, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("A single instance leads every rollout: there is no leader to relay a command to.");

    public Task<IReadOnlyList<RolloutCommand>> TakeRelayedAsync(string routeId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RolloutCommand>>([]);

    public Task ReplyAsync(RolloutCommand command, RolloutCommandReply reply, CancellationToken cancellationToken) => Task.CompletedTask;
}
