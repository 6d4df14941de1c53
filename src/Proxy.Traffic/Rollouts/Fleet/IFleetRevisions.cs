namespace Proxy.Traffic.Rollouts.Fleet;

/// <summary>Which revision of a route's split each live gateway instance has in force, as the fleet reports it.</summary>
public interface IFleetRevisions
{
    /// <summary>True when several instances share the state: a step then waits for all of them.</summary>
    bool IsShared { get; }

    /// <summary>
    /// Every live instance (this one included) with the route's revision it has in force; throws
    /// <see cref="State.StateUnavailableException"/> when the reports cannot be read.
    /// </summary>
    Task<IReadOnlyList<InstanceRevision>> ReadAsync(string routeId, CancellationToken cancellationToken);
}

/// <summary>One live instance's revision of a route.</summary>
/// <param name="Instance">Its name in the fleet.</param>
/// <param name="Revision">The revision in force there (0 when it has no split for the route).</param>
/// <param name="Stale">True when it reports that it may lag behind the shared state.</param>
public sealed record InstanceRevision(string Instance, long Revision, bool Stale);
