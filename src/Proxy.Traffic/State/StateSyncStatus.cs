namespace Proxy.Traffic.State;

/// <summary>
/// Whether this instance's runtime settings are known to match the shared state repository: false while it cannot be
/// reached, after a failed catch-up, or after a start-up without it. Always fresh with an unshared (SQLite, in-memory) repository.
/// </summary>
public sealed class StateSyncStatus(RuntimeStateStore state)
{
    private readonly IStateRepository _repository = state.Repository;
    private volatile string? _error;
    private long _lastSyncTicks;

    /// <summary>This instance's name in the fleet, or null when the repository is not shared.</summary>
    public string? Instance => _repository.IsShared ? _repository.InstanceName : null;

    /// <summary>True when what is in force may lag behind the shared repository (fail static).</summary>
    public bool IsStale => state.IsDetached || (_repository.IsShared && (!_repository.IsConnected || _error is not null));

    /// <summary>When this instance last caught up with the shared repository.</summary>
    public DateTimeOffset? LastSyncAt => Volatile.Read(ref _lastSyncTicks) is > 0 and var ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Why the settings may be stale, or null.</summary>
    public string? Detail => state.IsDetached
        ? "the state repository could not be reached at start-up: the configuration file's splits are in force, uncommitted"
        : _error ?? (_repository is { IsShared: true, IsConnected: false } ? "the state repository is not connected" : null);

    /// <summary>Records a successful catch-up; returns true when the settings were stale before it.</summary>
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
