namespace Proxy.Traffic.State;

/// <summary>
/// Durable storage of every runtime setting and its audit trail, implemented once per backend (memory, SQLite, Redis).
/// The store commits here before a change takes effect. Fleet features (change notification, instance reports,
/// rebuild after a lost store) are part of the contract: a single-instance backend implements them as no-ops.
/// Implementations are safe for concurrent use; a backend that cannot be reached throws <see cref="StateUnavailableException"/>.
/// </summary>
public interface IStateRepository
{
    /// <summary>True when several gateway instances share this storage.</summary>
    bool IsShared { get; }

    /// <summary>This instance's name in the fleet (the machine name when not shared).</summary>
    string InstanceName { get; }

    /// <summary>True while the storage can be reached.</summary>
    bool IsConnected { get; }

    /// <summary>Every persisted setting (removed ones included: their revisions keep counting) and the state's generation.</summary>
    Task<PersistedState> LoadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Commits all or none, with their audit entries, and announces them to the fleet. Each setting's revision must follow
    /// its persisted revision by exactly one (1 for a setting never seen), else nothing is written and
    /// <see cref="StateConflictException"/> is thrown. Durable when the task completes.
    /// </summary>
    Task CommitAsync(IReadOnlyList<SettingCommit> commits, CancellationToken cancellationToken);

    /// <summary>A setting's audit trail, newest first, at most <paramref name="limit"/> entries.</summary>
    Task<IReadOnlyList<SettingChange>> GetHistoryAsync(SettingKey key, int limit, CancellationToken cancellationToken);

    /// <summary>Completes when the storage can be reached; throws otherwise (readiness).</summary>
    Task PingAsync(CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="changed"/> whenever any instance commits, or a commit may have been missed (a shared store reconnected); never when not shared.</summary>
    Task SubscribeAsync(Action changed, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="settings"/> back as the whole state, under a new generation, and announces it, only when the
    /// storage holds no generation (a shared store that came back empty; of several instances one wins). The audit trail
    /// is not rebuilt. False, writing nothing, when another instance was first or the storage cannot lose its state.
    /// </summary>
    Task<bool> RebuildAsync(IReadOnlyList<StoredSetting> settings, CancellationToken cancellationToken);

    /// <summary>Leaves this instance's report for the fleet view, kept for <paramref name="timeToLive"/> (nothing, when not shared).</summary>
    Task ReportAsync(InstanceReport report, TimeSpan timeToLive, CancellationToken cancellationToken);

    /// <summary>The latest report of every instance heard from within its time to live (none, when not shared).</summary>
    Task<IReadOnlyList<InstanceReport>> GetReportsAsync(CancellationToken cancellationToken);
}
