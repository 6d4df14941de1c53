using System.Collections.Frozen;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Mirroring;

/// <summary>
/// The mirror of every route: the configuration file's, overridden by the one set through the admin API (the mirror
/// kind's view over <see cref="RuntimeStateStore"/>: revisioned, audited, fleet-synced). Readers get an immutable map
/// swapped atomically; writes go through the state store, which commits before the swap.
/// </summary>
public sealed class MirrorStore : ConfigMergedView
{
    private FrozenDictionary<string, MirroredRoute> _routes = FrozenDictionary<string, MirroredRoute>.Empty;
    private volatile IReadOnlyDictionary<string, MirrorSettings> _configured = new Dictionary<string, MirrorSettings>();
    private FrozenDictionary<string, long> _revisions = FrozenDictionary<string, long>.Empty;

    /// <summary>The mirror view of <paramref name="state"/>.</summary>
    public MirrorStore(RuntimeStateStore state)
        : base(state, SettingKinds.Mirror)
    {
    }

    /// <summary>
    /// Raised after what is in force was rebuilt (a change here, another instance's synced, the file applied), under the
    /// state store's gate: handlers must only hand it on, never wait or throw.
    /// </summary>
    public event Action? Changed;

    /// <summary>The route's mirror in force, if it has one (lock-free: the request path calls this).</summary>
    public bool TryGet(string routeId, out MirroredRoute route) => Volatile.Read(ref _routes).TryGetValue(routeId, out route!);

    /// <summary>Every mirror in force.</summary>
    public IEnumerable<MirroredRoute> GetAll() => Volatile.Read(ref _routes).Values;

    /// <summary>The configuration file's mirror for a route, when it has one.</summary>
    public MirrorSettings? GetConfigured(string routeId) => _configured.GetValueOrDefault(routeId);

    /// <summary>The revision of the route's runtime mirror setting (0 when it never had one): its ETag.</summary>
    public long GetRevision(string routeId) => Volatile.Read(ref _revisions).GetValueOrDefault(routeId);

    /// <summary>
    /// Applies the configuration file's mirrors: as for weights, a runtime setting stays in force until the file's mirror
    /// for its route changes, then the file's wins, audited. With the repository down, the file's go in force alone.
    /// </summary>
    public Task ApplyConfiguredAsync(IReadOnlyDictionary<string, MirrorSettings> configured, CancellationToken cancellationToken) =>
        ApplyFileAsync(() => _configured = configured, cancellationToken);

    /// <summary>Sets (or, with null, turns off) a route's mirror at runtime: committed with its audit entry, then in force.</summary>
    public async Task<MirrorChange> SetAsync(string routeId, MirrorSettings? mirror, string actor, string? reason, CancellationToken cancellationToken) =>
        (await TrySetAsync(routeId, mirror, actor, reason, null, cancellationToken).ConfigureAwait(false))!;

    /// <summary>
    /// As <see cref="SetAsync"/>, unless the route's mirror setting is at another revision than <paramref name="expectedRevision"/>
    /// (when given): then nothing changes and the answer is null.
    /// </summary>
    public Task<MirrorChange?> TrySetAsync(string routeId, MirrorSettings? mirror, string actor, string? reason, long? expectedRevision, CancellationToken cancellationToken) =>
        State.WriteAsync<MirrorChange?>(
            async transaction =>
            {
                var before = TryGet(routeId, out var current) ? current.Settings : null;
                var change = new MirrorChange(routeId, transaction.Now, actor, mirror is null ? MirrorChange.RemoveAction : MirrorChange.SetAction, before, mirror, reason);
                var setting = new MirrorOverride(routeId, mirror, _configured.GetValueOrDefault(routeId));
                return await transaction.CommitNextAsync(MirrorSetting.Key(routeId), MirrorSetting.Write(setting), r => MirrorSetting.Change(change, r), expectedRevision).ConfigureAwait(false) is { } revision
                    ? change with { Revision = revision }
                    : null;
            },
            cancellationToken);

    /// <summary>Has the state store catch up (<see cref="RuntimeStateStore.SyncAsync(CancellationToken)"/>); returns the routes whose runtime mirror changed.</summary>
    public Task<IReadOnlyList<string>> SyncAsync(CancellationToken cancellationToken)
    {
        Dictionary<string, MirrorOverride> before = [];
        return State.SyncAsync(
            () => before = Overrides(State.GetPersisted(SettingKinds.Mirror)),
            _ =>
            {
                var after = Overrides(State.GetPersisted(SettingKinds.Mirror));
                return (IReadOnlyList<string>)[.. after.Keys.Concat(before.Keys).Distinct(StringComparer.OrdinalIgnoreCase)
                    .Where(id => !SameSetting(after.GetValueOrDefault(id), before.GetValueOrDefault(id)))];
            },
            cancellationToken);
    }

    /// <summary>A route's mirror audit trail, newest first.</summary>
    public async Task<IReadOnlyList<MirrorChange>> GetHistoryAsync(string routeId, int limit, CancellationToken cancellationToken) =>
        [.. (await State.GetHistoryAsync(MirrorSetting.Key(routeId), limit, cancellationToken).ConfigureAwait(false)).Select(MirrorSetting.Read)];

    // A runtime setting stays until the file's mirror for its route changes.
    private protected override SettingChange? ReplacedByFile(StoredSetting stored, long revision, DateTimeOffset now)
    {
        if (MirrorSetting.Read(stored) is not { } runtime)
        {
            return null;
        }

        var file = _configured.GetValueOrDefault(runtime.RouteId);
        if (runtime.Configured?.SameAs(file) ?? file is null)
        {
            return null;
        }

        return MirrorSetting.Change(
            new MirrorChange(runtime.RouteId, now, SplitActions.ConfigActor, MirrorChange.ConfigAction, runtime.Mirror, file,
                "the configuration file's mirror changed; it replaces the runtime setting"),
            revision);
    }

    private static Dictionary<string, MirrorOverride> Overrides(IReadOnlyList<StoredSetting> persisted) =>
        persisted.Select(MirrorSetting.Read).OfType<MirrorOverride>().ToDictionary(o => o.RouteId, StringComparer.OrdinalIgnoreCase);

    private static bool SameSetting(MirrorOverride? a, MirrorOverride? b) =>
        a is null || b is null
            ? a is null && b is null
            : (a.Mirror?.SameAs(b.Mirror) ?? b.Mirror is null) && (a.Configured?.SameAs(b.Configured) ?? b.Configured is null);

    private protected override void Rebuild(IReadOnlyList<StoredSetting> persisted)
    {
        var now = State.TimeProvider.GetUtcNow();
        var previous = Volatile.Read(ref _routes);
        var overrides = Overrides(persisted);
        var routes = new Dictionary<string, MirroredRoute>(StringComparer.OrdinalIgnoreCase);
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

        Volatile.Write(ref _revisions, persisted.ToFrozenDictionary(s => s.Key.Id, s => s.Revision, StringComparer.OrdinalIgnoreCase));
        Volatile.Write(ref _routes, routes.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase));
        Changed?.Invoke();
    }
}
