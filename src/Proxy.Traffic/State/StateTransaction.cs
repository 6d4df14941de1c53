namespace Proxy.Traffic.State;

/// <summary>What a write sees under the store's gate: the persisted settings, the clock, and the commit.</summary>
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
    /// Commits all or none (compare-and-set on each revision: on a conflict the store catches up and runs the write again);
    /// then, when <paramref name="apply"/>, the views put them in force as they do other instances' commits.
    /// </summary>
    public Task CommitAsync(IReadOnlyList<SettingCommit> commits, bool apply = true) => _store.CommitLockedAsync(commits, apply);

    /// <summary>
    /// Commits <paramref name="value"/> (null: removed) as the setting's next revision, with the audit entry
    /// <paramref name="change"/> makes for that revision, as <see cref="CommitAsync"/> does; unless
    /// <paramref name="expectedRevision"/> (an <c>If-Match</c>) is given and is not the persisted revision. Returns the
    /// revision committed, or null (nothing committed) on that mismatch.
    /// </summary>
    public async Task<long?> CommitNextAsync(SettingKey key, string? value, Func<long, SettingChange> change, long? expectedRevision = null, bool apply = true)
    {
        var revision = RevisionOf(key);
        if (expectedRevision is { } expected && expected != revision)
        {
            return null;
        }

        await CommitAsync([new SettingCommit(new StoredSetting(key, revision + 1, value), change(revision + 1))], apply).ConfigureAwait(false);
        return revision + 1;
    }
}
