namespace Proxy.Traffic.State;

/// <summary>
/// A kind's view whose runtime settings sit over the configuration file's entries (mirrors, flags, experiments): the file
/// is applied under the state store's gate, a runtime setting whose file entry changed since it was set gives way to the
/// file's (audited), and what is in force is rebuilt from the persisted settings after every change, this instance's or another's.
/// </summary>
public abstract class ConfigMergedView : IRuntimeSettingView
{
    private readonly string _kind;
    private bool _fileApplied;

    /// <summary>The view of <paramref name="kind"/> over <paramref name="state"/>.</summary>
    private protected ConfigMergedView(RuntimeStateStore state, string kind)
    {
        State = state;
        _kind = kind;
        state.Register(this);
    }

    string IRuntimeSettingView.Kind => _kind;

    /// <summary>The one state store this view belongs to.</summary>
    private protected RuntimeStateStore State { get; }

    /// <summary>
    /// Takes the file's entries (<paramref name="useFile"/> stores them; start-up and each good reload) and merges them with
    /// the persisted settings. With the repository down at start-up the file's entries go in force alone, and the state
    /// store's sync merges the runtime settings once it answers.
    /// </summary>
    private protected Task ApplyFileAsync(Action useFile, CancellationToken cancellationToken) =>
        State.WriteAsync(
            async transaction =>
            {
                useFile();
                _fileApplied = true;
                await MergeFileAsync(transaction).ConfigureAwait(false);
                return true;
            },
            cancellationToken,
            whenUnavailable: () =>
            {
                useFile();
                _fileApplied = true;
                Rebuild(State.GetPersisted(_kind));
                return Task.FromResult(true);
            });

    /// <summary>
    /// The audit entry (at <paramref name="revision"/>) of the file's entry replacing the runtime setting
    /// <paramref name="stored"/>, when its file entry changed since it was set; null when it stays.
    /// </summary>
    private protected abstract SettingChange? ReplacedByFile(StoredSetting stored, long revision, DateTimeOffset now);

    /// <summary>Puts the file's entries with <paramref name="persisted"/> (every setting of the kind) in force; under the gate.</summary>
    private protected abstract void Rebuild(IReadOnlyList<StoredSetting> persisted);

    // Before the file's entries are known (another view's write loaded the state first) there is nothing to merge with yet.
    Task IRuntimeSettingView.RestartAsync(StateTransaction transaction, CancellationToken cancellationToken) =>
        _fileApplied ? MergeFileAsync(transaction) : Task.CompletedTask;

    Task IRuntimeSettingView.ApplyAsync(IReadOnlyList<SettingUpdate> updates, CancellationToken cancellationToken)
    {
        Rebuild(State.GetPersisted(_kind));
        return Task.CompletedTask;
    }

    private async Task MergeFileAsync(StateTransaction transaction)
    {
        var commits = new List<SettingCommit>();
        foreach (var stored in transaction.All(_kind))
        {
            if (ReplacedByFile(stored, stored.Revision + 1, transaction.Now) is { } change)
            {
                commits.Add(new SettingCommit(stored with { Revision = stored.Revision + 1, Value = null }, change));
            }
        }

        await transaction.CommitAsync(commits, apply: false).ConfigureAwait(false);
        Rebuild(transaction.All(_kind));
    }
}
