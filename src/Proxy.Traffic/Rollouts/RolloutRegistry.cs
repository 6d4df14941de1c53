using System.Collections.Concurrent;

namespace Proxy.Traffic.Rollouts;

/// <summary>The latest rollout of each route as the controller last left it; the admin API and the metrics read it.</summary>
public sealed class RolloutRegistry
{
    private readonly ConcurrentDictionary<string, RolloutState> _rollouts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every route's latest rollout.</summary>
    public IReadOnlyCollection<RolloutState> All => [.. _rollouts.Values];

    /// <summary>The route's latest rollout, or null when it never had one.</summary>
    public RolloutState? Get(string routeId) => _rollouts.GetValueOrDefault(routeId);

    internal void Set(RolloutState state) => _rollouts[state.RouteId] = state;
}
