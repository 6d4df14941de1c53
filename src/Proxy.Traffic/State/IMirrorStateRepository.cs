namespace Proxy.Traffic.State;

/// <summary>
/// Durable storage of the mirrors set through the admin API and their audit trail. The mirror store commits here
/// before it applies a change. Implementations must be safe for concurrent use.
/// </summary>
public interface IMirrorStateRepository
{
    /// <summary>Every route's runtime mirror setting.</summary>
    Task<IReadOnlyList<MirrorOverride>> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Stores the route's runtime setting and its audit entry together; durable when the task completes.</summary>
    Task SaveAsync(MirrorOverride setting, MirrorChange change, CancellationToken cancellationToken);

    /// <summary>Removes the route's runtime setting (the file's mirror applies again) and stores the audit entry, together.</summary>
    Task ClearAsync(string routeId, MirrorChange change, CancellationToken cancellationToken);

    /// <summary>A route's mirror audit trail, newest first, at most <paramref name="limit"/> entries.</summary>
    Task<IReadOnlyList<MirrorChange>> GetHistoryAsync(string routeId, int limit, CancellationToken cancellationToken);
}
