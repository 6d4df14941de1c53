
namespace Proxy.Traffic.State;

/// <summary>
/// The one store of runtime settings (<see cref="SettingKinds"/>): writers of every kind serialise on one gate, and a change
/// is committed with its audit entry to the <see cref="IStateRepository"/> (compare-and-set on its revision) before its
/// view puts it in force. What is in force for requests stays in each view: the request path never reaches here.
/// </summary>
public sealed class RuntimeStateStore : IDisposable
{
    private const int MaxCommitAttempts = 3;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<SettingKey, StoredSetting> _persisted = [];
    private readonly Dictionary<string, IRuntimeSettingView> _views = new(StringComparer.Ordinal);

    // Under the gate: loaded since the last start or recovery, the state's generation (shared only), a recovery to announce.
    private bool _loaded;
    private string? _generation;
    private StateRecovery? _recovery;
    private volatile bool _detached;

    /// <summary>A store over <paramref name="repository"/>.</summary>
    public RuntimeStateStore(IStateRepository repository, TimeProvider timeProvider)
    {
        Repository = repository;
        TimeProvider = timeProvider;
    }

    /// <summary>Where every change is persisted.</summary>
    public IStateRepository Repository { get; }

    /// <summary>The store's clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>True when several gateway instances share the repository.</summary>
    public bool IsShared => Repository.IsShared;

    /// <summary>True when the file's settings are in force uncommitted (the repository was down when it was applied) until a sync merges them.</summary>
    public bool IsDetached => _detached;

    /// <summary>Raised when the shared state this instance had synced with was found gone (and rebuilt) or replaced.</summary>
    public event Action<StateRecovery>? Recovered;

    /// <summary>A setting's audit trail, newest first.</summary>
    public Task<IReadOnlyList<SettingChange>> GetHistoryAsync(SettingKey key, int limit, CancellationToken cancellationToken) =>
        Repository.GetHistoryAsync(key, limit, cancellationToken);

    /// <summary>
    /// Runs <paramref name="write"/> under the gate against the persisted state (loaded first when needed); a lost
    /// compare-and-set catches up and runs it again, a few times at most. When the first load cannot reach the repository,
    /// <paramref name="whenUnavailable"/> (if given) runs instead and the store is detached.
    /// </summary>
    internal async Task<T> WriteAsync<T>(Func<StateTransaction, Task<T>> write, CancellationToken cancellationToken, Func<Task<T>>? whenUnavailable = null)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = new StateTransaction(this);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    if (!_loaded)
                    {
                        try
                        {
                            await LoadLockedAsync(cancellationToken).ConfigureAwait(false);
                        }
                        catch (StateUnavailableException) when (whenUnavailable is not null && (_persisted.Count == 0 || _detached))
                        {
                            _detached = true;
                            return await whenUnavailable().ConfigureAwait(false);
                        }

                        await RestartViewsLockedAsync(transaction, cancellationToken).ConfigureAwait(false);
                    }

                    return await write(transaction).ConfigureAwait(false);
                }
                catch (StateConflictException) when (attempt < MaxCommitAttempts)
                {
                    // Another instance committed first: catch up, then decide again against what is in force now
                    // (an If-Match edit then answers 412; a blind edit applies on top, so no update is lost).
                    await CatchUpLockedAsync(transaction, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _gate.Release();
            PublishRecovery();
        }
    }

    /// <summary>
    /// Catches up with a shared repository: settings whose persisted revision is newer than known here go in force through
    /// their views (after a detached start or a lost store, the views merge as at start-up). Returns what changed.
    /// </summary>
    public Task<IReadOnlyList<SettingUpdate>> SyncAsync(CancellationToken cancellationToken) => SyncAsync(() => { }, updates => updates, cancellationToken);

    /// <summary>A catch-up (<see cref="SyncAsync(CancellationToken)"/>) whose result a view reads under the gate, before and after it.</summary>
    internal async Task<T> SyncAsync<T>(Action before, Func<IReadOnlyList<SettingUpdate>, T> after, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            before();
            return after(await CatchUpLockedAsync(new StateTransaction(this), cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            _gate.Release();
            PublishRecovery();
        }
    }

    public void Dispose() => _gate.Dispose();

    internal void Register(IRuntimeSettingView view)
    {
        lock (_views)
        {
            _views[view.Kind] = view;
        }
    }

    internal StoredSetting? GetPersisted(SettingKey key) => _persisted.GetValueOrDefault(key);

    internal IReadOnlyList<StoredSetting> GetPersisted(string kind) =>
        [.. _persisted.Values.Where(s => string.Equals(s.Key.Kind, kind, StringComparison.Ordinal))];

    // Under the gate.
    internal async Task CommitLockedAsync(IReadOnlyList<SettingCommit> commits, bool apply)
    {
        if (commits.Count == 0)
        {
            return;
        }

        // Durable before in force: a client that saw the answer can rely on the change surviving a crash.
        await Repository.CommitAsync(commits, CancellationToken.None).ConfigureAwait(false);
        var updates = new List<SettingUpdate>(commits.Count);
        foreach (var (setting, change) in commits)
        {
            updates.Add(new SettingUpdate(_persisted.GetValueOrDefault(setting.Key), setting, change));
            _persisted[setting.Key] = setting;
        }

        // The first commit into an empty shared store creates its generation: learn it, or a loss of that state would go unnoticed.
        if (_generation is null && IsShared)
        {
            _generation = (await Repository.LoadAsync(CancellationToken.None).ConfigureAwait(false)).Generation;
        }

        if (apply)
        {
            await ApplyLockedAsync(updates, CancellationToken.None).ConfigureAwait(false);
        }
    }

    // Under the gate.
    private async Task<IReadOnlyList<SettingUpdate>> CatchUpLockedAsync(StateTransaction transaction, CancellationToken cancellationToken)
    {
        if (!_loaded)
        {
            var before = new Dictionary<SettingKey, StoredSetting>(_persisted);
            await LoadLockedAsync(cancellationToken).ConfigureAwait(false);
            await RestartViewsLockedAsync(transaction, cancellationToken).ConfigureAwait(false);
            return [.. _persisted.Values.Where(s => !before.TryGetValue(s.Key, out var b) || b.Revision != s.Revision).Select(s => new SettingUpdate(before.GetValueOrDefault(s.Key), s, null))];
        }

        var loaded = await LoadPersistedAsync(cancellationToken).ConfigureAwait(false);
        if (!_loaded)
        {
            // The shared state was lost (and rebuilt) or replaced: take it as a start-up would.
            return await CatchUpLockedAsync(transaction, cancellationToken).ConfigureAwait(false);
        }

        var updates = new List<SettingUpdate>();
        foreach (var setting in loaded.Settings)
        {
            var known = _persisted.GetValueOrDefault(setting.Key);
            if (known is null || known.Revision < setting.Revision)
            {
                updates.Add(new SettingUpdate(known, setting, null));
                _persisted[setting.Key] = setting;
            }
        }

        await ApplyLockedAsync(updates, cancellationToken).ConfigureAwait(false);
        return updates;
    }

    // Under the gate: the whole persisted state replaces what this instance knew.
    private async Task LoadLockedAsync(CancellationToken cancellationToken)
    {
        var loaded = await LoadPersistedAsync(cancellationToken).ConfigureAwait(false);
        _persisted.Clear();
        foreach (var setting in loaded.Settings)
        {
            _persisted[setting.Key] = setting;
        }

        _loaded = true;
        _detached = false;
    }

    // Under the gate. A state gone (a Redis back empty: its generation is null) is written back from what this instance
    // holds (one instance wins); gone or replaced, the views merge what is read as at start-up (_loaded is false).
    private async Task<PersistedState> LoadPersistedAsync(CancellationToken cancellationToken)
    {
        var persisted = await Repository.LoadAsync(cancellationToken).ConfigureAwait(false);
        if (_generation is { } known && persisted.Generation != known)
        {
            StoredSetting[] held = [.. _persisted.Values];
            var rebuilt = persisted.Generation is null && await Repository.RebuildAsync(held, cancellationToken).ConfigureAwait(false);
            _recovery = new StateRecovery(rebuilt ? held : []);
            _loaded = false;
            persisted = await Repository.LoadAsync(cancellationToken).ConfigureAwait(false);
        }

        _generation = persisted.Generation;
        return persisted;
    }

    private async Task RestartViewsLockedAsync(StateTransaction transaction, CancellationToken cancellationToken)
    {
        foreach (var view in Views())
        {
            await view.RestartAsync(transaction, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ApplyLockedAsync(List<SettingUpdate> updates, CancellationToken cancellationToken)
    {
        foreach (var view in Views())
        {
            var ofKind = updates.Where(u => string.Equals(u.Key.Kind, view.Kind, StringComparison.Ordinal)).ToArray();
            if (ofKind.Length > 0)
            {
                await view.ApplyAsync(ofKind, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private IRuntimeSettingView[] Views()
    {
        lock (_views)
        {
            return [.. _views.Values];
        }
    }

    private void PublishRecovery()
    {
        if (Interlocked.Exchange(ref _recovery, null) is { } recovery)
        {
            Recovered?.Invoke(recovery);
        }
    }
}
