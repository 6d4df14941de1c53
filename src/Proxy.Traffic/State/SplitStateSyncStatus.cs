using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.State;

/// <summary>
/// Whether this instance's splits are known to match the shared state repository: false while it cannot be reached, after
/// a failed catch-up, or after a start-up without it. Always fresh with an unshared (SQLite, in-memory) repository.
/// </summary>
public sealed class SplitStateSyncStatus(ISplitStateRepository repository, SplitStore store)
{
    private readonly ISplitStateChangeFeed? _feed = repository as ISplitStateChangeFeed;
    private volatile string? _error;
    private long _lastSyncTicks;

    /// <summary>This instance's name in the fleet, or null when the repository is not shared.</summary>
    public string? Instance => _feed?.InstanceName;

    /// <summary>True when the splits in force may lag behind the shared repository (fail static).</summary>
    public bool IsStale => store.IsDetached || (_feed is not null && (!_feed.IsConnected || _error is not null));

    /// <summary>When this instance last caught up with the shared repository.</summary>
    public DateTimeOffset? LastSyncAt => Volatile.Read(ref _lastSyncTicks) is > 0 and var ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Why the splits may be stale, or null.</summary>
    public string? Detail => store.IsDetached
        ? "the state repository could not be reached at start-up: the configuration file's splits are in force, uncommitted"
        : _error ?? (_feed is { IsConnected: false } ? "the state repository is not connected" : null);

    /// <summary>Records a successful catch-up; returns true when the splits were stale before it.</summary>
    internal bool Synced(DateTimeOffset at)
    {
        var wasFailing = _error is not null;
        _error = null;
        Volatile.Write(ref _lastSyncTicks, at.UtcTicks);
        return wasFailing;
    }

    /// <summary>Records a failed catch-up; returns true when it is the first of a series.</summary>
    internal bool Failed(string error)
    {
        var first = _error is null;
        _error = error;
        return first;
    }
}
