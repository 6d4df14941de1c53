namespace Proxy.Traffic.Flags;

/// <summary>
/// The flags in force: the configuration file's, each with its runtime setting (kill switch, default, rollout) from the
/// admin API over it. As for splits and mirrors, a runtime setting stays in force until the file's flag changes. Writers are
/// serialized and commit to the <see cref="IFlagStateRepository"/> before the new <see cref="FlagSet"/> is swapped in, so a
/// change the API acknowledged is in force for the very next request.
/// </summary>
public sealed class FlagStore(IFlagStateRepository repository, TimeProvider timeProvider) : IDisposable
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private volatile FlagSet _current = FlagSet.Empty;
    private Dictionary<string, ConfiguredFlag> _configured = new(StringComparer.Ordinal);
    private IReadOnlyCollection<string> _routes = [];
    private Dictionary<string, FlagOverride> _overrides = new(StringComparer.Ordinal);
    private long _version;

    /// <summary>The flags in force (lock-free: the request path reads this).</summary>
    public FlagSet Current => _current;

    /// <summary>The configuration file's flag, if it declares one by that name.</summary>
    public FlagOptions? GetConfigured(string name) => _configured.GetValueOrDefault(name)?.Options;

    /// <summary>The runtime setting of a flag, if it has one.</summary>
    public FlagOverride? GetOverride(string name) => Volatile.Read(ref _overrides).GetValueOrDefault(name);

    /// <summary>
    /// Applies the file's flags (start-up and each good reload): runtime settings whose file flag changed give way to it,
    /// audited; the others stay.
    /// </summary>
    public async Task ApplyConfiguredAsync(IReadOnlyDictionary<string, FlagOptions> flags, IReadOnlyCollection<string> routes, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var configured = flags.ToDictionary(f => f.Key, f => new ConfiguredFlag(f.Value, FlagRules.Fingerprint(f.Value)), StringComparer.Ordinal);
            Dictionary<string, FlagOverride> overrides;
            try
            {
                overrides = (await repository.LoadAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(o => o.Name, StringComparer.Ordinal);
            }
            catch (State.SplitStateUnavailableException)
            {
                // A shared store that is down: the file's flags go in force with the runtime settings held so far (none at
                // start-up); the sync pass puts the stored ones in force once it answers.
                _configured = configured;
                _routes = routes;
                Volatile.Write(ref _overrides, new Dictionary<string, FlagOverride>(_overrides.Where(o => configured.TryGetValue(o.Key, out var f) && f.Fingerprint == o.Value.Configured), StringComparer.Ordinal));
                Rebuild();
                return;
            }

            foreach (var runtime in overrides.Values.ToArray())
            {
                if (!configured.TryGetValue(runtime.Name, out var file) || file.Fingerprint != runtime.Configured)
                {
                    var before = _current.All.GetValueOrDefault(runtime.Name);
                    var change = new FlagChange(runtime.Name, timeProvider.GetUtcNow(), "config", FlagChange.ConfigAction, before is null ? null : FlagState.Of(before),
                        file is null ? null : FlagState.Of(FlagRules.Compile(runtime.Name, file.Options, null)),
                        "the configuration file's flag changed; it replaces the runtime setting");
                    await repository.ClearAsync(runtime.Name, change, cancellationToken).ConfigureAwait(false);
                    overrides.Remove(runtime.Name);
                }
            }

            _configured = configured;
            _routes = routes;
            Volatile.Write(ref _overrides, overrides);
            Rebuild();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Changes a flag's runtime setting: <paramref name="edit"/> gets the current one (or null) and returns the new one, or
    /// null to return to the file's flag. Committed with its audit entry, then in force. Null when the file has no such flag.
    /// </summary>
    public async Task<FlagChange?> ChangeAsync(string name, string action, string actor, string? reason, Func<FlagOverride?, string, FlagOverride?> edit, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_configured.TryGetValue(name, out var file))
            {
                return null;
            }

            var overrides = new Dictionary<string, FlagOverride>(_overrides, StringComparer.Ordinal);
            var setting = edit(overrides.GetValueOrDefault(name), file.Fingerprint);
            var before = FlagState.Of(_current.All[name]);
            var after = FlagState.Of(FlagRules.Compile(name, file.Options, setting));
            var change = new FlagChange(name, timeProvider.GetUtcNow(), actor, action, before, after, reason);
            if (setting is null)
            {
                await repository.ClearAsync(name, change, cancellationToken).ConfigureAwait(false);
                overrides.Remove(name);
            }
            else
            {
                await repository.SaveAsync(setting, change, cancellationToken).ConfigureAwait(false);
                overrides[name] = setting;
            }

            Volatile.Write(ref _overrides, overrides);
            Rebuild();
            return change;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Re-reads the runtime settings (other instances' changes with a shared repository) and puts them in force. True when
    /// something changed.
    /// </summary>
    public async Task<bool> SyncAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var loaded = (await repository.LoadAsync(cancellationToken).ConfigureAwait(false))
                .Where(o => _configured.TryGetValue(o.Name, out var file) && file.Fingerprint == o.Configured)
                .ToDictionary(o => o.Name, StringComparer.Ordinal);
            var same = loaded.Count == _overrides.Count && loaded.All(o => _overrides.TryGetValue(o.Key, out var held) && SameSetting(held, o.Value));
            if (same)
            {
                return false;
            }

            Volatile.Write(ref _overrides, loaded);
            Rebuild();
            return true;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>A flag's audit trail, newest first.</summary>
    public Task<IReadOnlyList<FlagChange>> GetHistoryAsync(string name, int limit, CancellationToken cancellationToken) =>
        repository.GetHistoryAsync(name, limit, cancellationToken);

    public void Dispose() => _writeGate.Dispose();

    private static bool SameSetting(FlagOverride a, FlagOverride b) =>
        a.Enabled == b.Enabled && a.Default == b.Default && a.Configured == b.Configured
        && (a.Rollout is null ? b.Rollout is null : b.Rollout is not null && a.Rollout.Count == b.Rollout.Count
            && a.Rollout.All(p => b.Rollout.TryGetValue(p.Key, out var v) && v == p.Value));

    private void Rebuild()
    {
        var flags = _configured.Select(f => FlagRules.Compile(f.Key, f.Value.Options, _overrides.GetValueOrDefault(f.Key))).ToArray();
        _current = new FlagSet(flags, _routes, Interlocked.Increment(ref _version));
    }
}
