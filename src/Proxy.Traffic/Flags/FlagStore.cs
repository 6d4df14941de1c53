using Proxy.Traffic.State;

namespace Proxy.Traffic.Flags;

/// <summary>
/// The flags in force: the configuration file's, each with its runtime setting (kill switch, default, rollout) from the
/// admin API over it — the flag kind's view over <see cref="RuntimeStateStore"/> (revisioned, audited, fleet-synced). As for
/// splits and mirrors, a runtime setting stays in force until the file's flag changes. A change is committed before the new
/// <see cref="FlagSet"/> is swapped in, so a change the API acknowledged is in force for the very next request.
/// </summary>
public sealed class FlagStore : ConfigMergedView
{
    private volatile FlagSet _current = FlagSet.Empty;
    private Dictionary<string, ConfiguredFlag> _configured = new(StringComparer.Ordinal);
    private IReadOnlyCollection<string> _routes = [];
    private Dictionary<string, FlagOverride> _overrides = new(StringComparer.Ordinal);
    private long _version;

    /// <summary>The flag view of <paramref name="state"/>.</summary>
    public FlagStore(RuntimeStateStore state)
        : base(state, SettingKinds.Flag)
    {
    }

    /// <summary>The flags in force (lock-free: the request path reads this).</summary>
    public FlagSet Current => _current;

    /// <summary>The configuration file's flag, if it declares one by that name.</summary>
    public FlagOptions? GetConfigured(string name) => _configured.GetValueOrDefault(name)?.Options;

    /// <summary>The runtime setting of a flag, if it has one.</summary>
    public FlagOverride? GetOverride(string name) => Volatile.Read(ref _overrides).GetValueOrDefault(name);

    /// <summary>
    /// Applies the file's flags (start-up and each good reload): runtime settings whose file flag changed give way to it,
    /// audited; the others stay. With a shared store down at start-up the file's flags go in force alone, and the state
    /// store's sync merges the runtime settings once it answers.
    /// </summary>
    public Task ApplyConfiguredAsync(IReadOnlyDictionary<string, FlagOptions> flags, IReadOnlyCollection<string> routes, CancellationToken cancellationToken)
    {
        var configured = flags.ToDictionary(f => f.Key, f => new ConfiguredFlag(f.Value, FlagRules.Fingerprint(f.Value)), StringComparer.Ordinal);
        return ApplyFileAsync(
            () =>
            {
                _configured = configured;
                _routes = routes;
            },
            cancellationToken);
    }

    /// <summary>
    /// Changes a flag's runtime setting: <paramref name="edit"/> gets the current one (or null) and returns the new one, or
    /// null to return to the file's flag. Committed with its audit entry, then in force. Null when the file has no such flag.
    /// </summary>
    public Task<FlagChange?> ChangeAsync(string name, string action, string actor, string? reason, Func<FlagOverride?, string, FlagOverride?> edit, CancellationToken cancellationToken) =>
        State.WriteAsync<FlagChange?>(
            async transaction =>
            {
                if (!_configured.TryGetValue(name, out var file))
                {
                    return null;
                }

                var setting = edit(_overrides.GetValueOrDefault(name), file.Fingerprint);
                var after = FlagState.Of(FlagRules.Compile(name, file.Options, setting));
                var change = new FlagChange(name, transaction.Now, actor, action, FlagState.Of(_current.All[name]), after, reason);
                await transaction.CommitNextAsync(FlagSetting.Key(name), FlagSetting.Write(setting), r => FlagSetting.Change(change, r)).ConfigureAwait(false);
                return change;
            },
            cancellationToken);

    /// <summary>A flag's audit trail, newest first.</summary>
    public async Task<IReadOnlyList<FlagChange>> GetHistoryAsync(string name, int limit, CancellationToken cancellationToken) =>
        [.. (await State.GetHistoryAsync(FlagSetting.Key(name), limit, cancellationToken).ConfigureAwait(false)).Select(FlagSetting.Read)];

    // A runtime setting stays until the file's flag changes (or goes).
    private protected override SettingChange? ReplacedByFile(StoredSetting stored, long revision, DateTimeOffset now)
    {
        if (FlagSetting.Read(stored) is not { } runtime
            || (_configured.TryGetValue(runtime.Name, out var file) && file.Fingerprint == runtime.Configured))
        {
            return null;
        }

        var before = _current.All.GetValueOrDefault(runtime.Name);
        return FlagSetting.Change(
            new FlagChange(runtime.Name, now, SplitActions.ConfigActor, FlagChange.ConfigAction, before is null ? null : FlagState.Of(before),
                file is null ? null : FlagState.Of(FlagRules.Compile(runtime.Name, file.Options, null)),
                "the configuration file's flag changed; it replaces the runtime setting"),
            revision);
    }

    // Only runtime settings made over the file's flag as it is now apply: another instance may still run an older file.
    private protected override void Rebuild(IReadOnlyList<StoredSetting> persisted)
    {
        var overrides = persisted.Select(FlagSetting.Read).OfType<FlagOverride>()
            .Where(o => _configured.TryGetValue(o.Name, out var file) && file.Fingerprint == o.Configured)
            .ToDictionary(o => o.Name, StringComparer.Ordinal);
        Volatile.Write(ref _overrides, overrides);
        var flags = _configured.Select(f => FlagRules.Compile(f.Key, f.Value.Options, overrides.GetValueOrDefault(f.Key))).ToArray();
        _current = new FlagSet(flags, _routes, Interlocked.Increment(ref _version));
    }
}
