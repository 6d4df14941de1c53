namespace Proxy.Traffic.State;

/// <summary>
/// What a write sees while it holds the store's gate: the persisted settings (as this instance last read or wrote them),
/// the clock, and the commit that makes a change durable before it takes effect.
/// </summary>
public sealed class StateTransaction
{
    private readonly RuntimeStateStore _store;

    internal StateTransaction(RuntimeStateStore store) => _store = store;

    /// <summary>Now, from the store's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset Now => _store.TimeProvider.GetUtcNow();

    /// <summary>A setting as persisted, or null when it was never written.</summary>
    public StoredSetting? Get(SettingKey key) => _store.GetPersisted(key);

    /// <summary>A setting's persisted revision (0 when never written).</summary>
    public long RevisionOf(SettingKey key) => Get(key)?.Revision ?? 0;

    /// <summary>Every persisted setting of a kind.</summary>
    public IReadOnlyList<StoredSetting> All(string kind) => _store.GetPersisted(kind);

    /// <summary>
    /// Commits all or none (compare-and-set on each revision; <see cref="StateConflictException"/> when another instance was
    /// first: the store catches up and runs the write again). When <paramref name="apply"/>, the settings' views then put
    /// them in force, as they do other instances' commits; a caller that puts them in force itself passes false.
    /// </summary>
    public Task CommitAsync(IReadOnlyList<SettingCommit> commits, bool apply = true) => _store.CommitLockedAsync(commits, apply);
}
