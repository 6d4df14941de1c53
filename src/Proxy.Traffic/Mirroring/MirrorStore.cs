using System.Collections.Frozen;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Mirroring;

/// <summary>
/// The mirror of every route: the configuration file's, overridden by the one set through the admin API (persisted,
/// audited). Readers get an immutable map swapped atomically; writers are serialized and commit before the swap.
/// </summary>
public sealed class MirrorStore(IMirrorStateRepository repository, TimeProvider timeProvider) : IDisposable
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private FrozenDictionary<string, MirroredRoute> _routes = FrozenDictionary<string, MirroredRoute>.Empty;
    private volatile IReadOnlyDictionary<string, MirrorSettings> _configured = new Dictionary<string, MirrorSettings>();
    private Dictionary<string, MirrorOverride>? _overrides;

    // The file was applied without the repository (a shared one down at start-up): the next sync merges them.
    private bool _fileMergePending;

    /// <summary>The route's mirror in force, if it has one (lock-free: the request path calls this).</summary>
    public bool TryGet(string routeId, out MirroredRoute route) => Volatile.Read(ref _routes).TryGetValue(routeId, out route!);

    /// <summary>Every mirror in force.</summary>
    public IEnumerable<MirroredRoute> GetAll() => Volatile.Read(ref _routes).Values;

    /// <summary>The configuration file's mirror for a route, when it has one.</summary>
    public MirrorSettings? GetConfigured(string routeId) => _configured.GetValueOrDefault(routeId);

    /// <summary>
    /// Applies the configuration file's mirrors (at start-up and on every good reload). As for weights, a runtime
    /// setting stays in force until the file's mirror for its route changes; then the file's wins, audited. When a shared
    /// repository cannot be reached at start-up the file's mirrors go in force alone, and <see cref="SyncAsync"/> merges
    /// the runtime settings once it can.
    /// </summary>
    public async Task ApplyConfiguredAsync(IReadOnlyDictionary<string, MirrorSettings> configured, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            IReadOnlyList<MirrorOverride> persisted;
            try
            {
                // Read afresh: with a shared repository another instance may have changed the runtime settings.
                persisted = await repository.LoadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SplitStateUnavailableException) when (_overrides is null)
            {
                _configured = configured;
                _fileMergePending = true;
                Rebuild();
                return;
            }

            await MergeFileLockedAsync(persisted, configured, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Sets (or, with null, turns off) a route's mirror at runtime: committed with its audit entry, then in force.</summary>
    public async Task<MirrorChange> SetAsync(string routeId, MirrorSettings? mirror, string actor, string? reason, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var overrides = await LoadOverridesAsync(cancellationToken).ConfigureAwait(false);
            var before = TryGet(routeId, out var current) ? current.Settings : null;
            var change = new MirrorChange(
                routeId, timeProvider.GetUtcNow(), actor, mirror is null ? MirrorChange.RemoveAction : MirrorChange.SetAction, before, mirror, reason);
            var setting = new MirrorOverride(routeId, mirror, _configured.GetValueOrDefault(routeId));
            await repository.SaveAsync(setting, change, cancellationToken).ConfigureAwait(false);
            overrides[routeId] = setting;
            Rebuild();
            return change;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Catches up with the runtime settings other gateway instances committed to a shared repository: re-reads them all and
    /// puts them in force. Returns the routes whose runtime setting changed. Throws <see cref="SplitStateUnavailableException"/>
    /// while the repository cannot be reached (the mirrors in force stay).
    /// </summary>
    public async Task<IReadOnlyList<string>> SyncAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var previous = _overrides ?? [];
            var loaded = await repository.LoadAsync(cancellationToken).ConfigureAwait(false);
            if (_fileMergePending)
            {
                await MergeFileLockedAsync(loaded, _configured, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                _overrides = loaded.ToDictionary(o => o.RouteId, StringComparer.OrdinalIgnoreCase);
            }

            var persisted = _overrides!;
            string[] changed = [.. persisted.Keys.Concat(previous.Keys).Distinct(StringComparer.OrdinalIgnoreCase)
                .Where(id => !SameSetting(persisted.GetValueOrDefault(id), previous.GetValueOrDefault(id)))];
            if (changed.Length > 0)
            {
                // Every pass re-reads; only a change builds a new map for the request path.
                Rebuild();
            }

            return changed;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Writes the runtime settings this instance holds back to a shared repository that lost them (a Redis that came back
    /// empty), unless another instance was first. Returns the routes written back; none with an unshared repository.
    /// </summary>
    public async Task<IReadOnlyList<MirrorOverride>> RebuildAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            MirrorOverride[] held = [.. (_overrides ?? []).Values];
            return repository is IRebuildableSettings<MirrorOverride> rebuildable && held.Length > 0
                && await rebuildable.RebuildAsync(held, cancellationToken).ConfigureAwait(false)
                ? held
                : [];
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>A route's mirror audit trail, newest first.</summary>
    public Task<IReadOnlyList<MirrorChange>> GetHistoryAsync(string routeId, int limit, CancellationToken cancellationToken) =>
        repository.GetHistoryAsync(routeId, limit, cancellationToken);

    public void Dispose() => _writeGate.Dispose();

    private async Task<Dictionary<string, MirrorOverride>> LoadOverridesAsync(CancellationToken cancellationToken) =>
        _overrides ??= (await repository.LoadAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(o => o.RouteId, StringComparer.OrdinalIgnoreCase);

    // Under the gate: the runtime settings whose file mirror changed since they were set give way to the file's, audited.
    private async Task MergeFileLockedAsync(IReadOnlyList<MirrorOverride> persisted, IReadOnlyDictionary<string, MirrorSettings> configured, CancellationToken cancellationToken)
    {
        var overrides = persisted.ToDictionary(o => o.RouteId, StringComparer.OrdinalIgnoreCase);
        foreach (var runtime in persisted)
        {
            var file = configured.GetValueOrDefault(runtime.RouteId);
            if (!(runtime.Configured?.SameAs(file) ?? file is null))
            {
                var change = new MirrorChange(
                    runtime.RouteId, timeProvider.GetUtcNow(), "config", MirrorChange.ConfigAction, runtime.Mirror, file,
                    "the configuration file's mirror changed; it replaces the runtime setting");
                await repository.ClearAsync(runtime.RouteId, change, cancellationToken).ConfigureAwait(false);
                overrides.Remove(runtime.RouteId);
            }
        }

        _configured = configured;
        _overrides = overrides;
        _fileMergePending = false;
        Rebuild();
    }

    private static bool SameSetting(MirrorOverride? a, MirrorOverride? b) =>
        a is null || b is null
            ? a is null && b is null
            : (a.Mirror?.SameAs(b.Mirror) ?? b.Mirror is null) && (a.Configured?.SameAs(b.Configured) ?? b.Configured is null);

    private void Rebuild()
    {
        var now = timeProvider.GetUtcNow();
        var previous = Volatile.Read(ref _routes);
        var routes = new Dictionary<string, MirroredRoute>(StringComparer.OrdinalIgnoreCase);
        var overrides = _overrides ?? [];
        foreach (var routeId in _configured.Keys.Concat(overrides.Keys).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var (settings, source) = overrides.TryGetValue(routeId, out var runtime)
                ? (runtime.Mirror, MirrorSource.Api)
                : (_configured[routeId], MirrorSource.Config);
            if (settings is null)
            {
                continue;
            }

            // Unchanged settings keep their counters; new ones start a new comparison.
            routes[routeId] = previous.TryGetValue(routeId, out var existing) && existing.Source == source && existing.Settings.SameAs(settings)
                ? existing
                : new MirroredRoute(routeId, settings, source, now);
        }

        Volatile.Write(ref _routes, routes.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase));
    }
}
