namespace Proxy.Traffic.State;

/// <summary>
/// Durable storage of every route's split and its audit trail. The split store commits here before it swaps a
/// snapshot, so an acknowledged change survives a crash. Implementations must be safe for concurrent use.
/// </summary>
public interface ISplitStateRepository
{
    /// <summary>Every route's persisted state, including routes whose split was removed (their revisions keep counting).</summary>
    Task<IReadOnlyList<RouteSplitRecord>> LoadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Commits all the changes or none. Each change's revision must follow the route's persisted revision by exactly one
    /// (or be 1 for a route never seen); otherwise nothing is written and <see cref="SplitRevisionConflictException"/> is thrown.
    /// The changes are durable when the task completes.
    /// </summary>
    Task CommitAsync(IReadOnlyList<SplitCommit> commits, CancellationToken cancellationToken);

    /// <summary>A route's audit trail, newest first, at most <paramref name="limit"/> entries.</summary>
    Task<IReadOnlyList<SplitRevision>> GetHistoryAsync(string routeId, int limit, CancellationToken cancellationToken);

    /// <summary>Completes when the storage can be reached; throws otherwise (readiness).</summary>
    Task PingAsync(CancellationToken cancellationToken);
}
