using System.Collections.Concurrent;

namespace Proxy.Traffic.Rollouts.State;

/// <summary>Keeps rollout state in process memory: nothing survives a restart.</summary>
public sealed class InMemoryRolloutStateRepository : IRolloutStateRepository
{
    private readonly ConcurrentDictionary<string, RolloutState> _rollouts = new(StringComparer.OrdinalIgnoreCase);

    public Task<IReadOnlyList<RolloutState>> LoadAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RolloutState>>([.. _rollouts.Values]);

    public Task SaveAsync(RolloutState state, CancellationToken cancellationToken)
    {
        _rollouts[state.RouteId] = state;
        return Task.CompletedTask;
    }
}
