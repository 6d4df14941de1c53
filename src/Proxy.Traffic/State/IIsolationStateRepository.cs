namespace Proxy.Traffic.State;

/// <summary>
/// Durable storage of the clusters operators isolated through the admin API, with their audit trail. Isolations are
/// committed here before they take effect. Implementations must be safe for concurrent use.
/// </summary>
public interface IIsolationStateRepository
{
    /// <summary>Every manual isolation in force.</summary>
    Task<IReadOnlyList<ManualIsolation>> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Stores the cluster's isolation (replacing an earlier one) and its audit entry together; durable when the task completes.</summary>
    Task SaveAsync(ManualIsolation isolation, IsolationChange change, CancellationToken cancellationToken);

    /// <summary>Removes the cluster's isolation, if any, and stores the audit entry, together.</summary>
    Task RemoveAsync(string clusterId, IsolationChange change, CancellationToken cancellationToken);

    /// <summary>A cluster's isolation audit trail, newest first, at most <paramref name="limit"/> entries.</summary>
    Task<IReadOnlyList<IsolationChange>> GetHistoryAsync(string clusterId, int limit, CancellationToken cancellationToken);
}
