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

    /// <summary>Raised when a rollout's state changed here: saved by this instance, or another instance's save read back.</summary>
    public event Action<RolloutState>? Changed;

    internal void Set(RolloutState state)
    {
        var previous = _rollouts.GetValueOrDefault(state.RouteId);
        _rollouts[state.RouteId] = state;

        // With several instances the shared state is read again every tick: only a new save is a change.
        if (previous is null || previous.SavedAt != state.SavedAt || previous.Id != state.Id)
        {
            Changed?.Invoke(state);
        }
    }
}
