using Proxy.Traffic.State;
using Yarp.ReverseProxy;

namespace Proxy.Traffic.Health;

/// <summary>
/// The clusters operators took out of rotation: the isolation kind's view over <see cref="RuntimeStateStore"/>, committed
/// before the breaker changes. Health isolations and breaker trips stay per instance and in memory.
/// </summary>
public sealed class ManualIsolationStore : IRuntimeSettingView
{
    private readonly RuntimeStateStore _state;
    private readonly ClusterHealthRegistry _health;
    private readonly IProxyStateLookup _proxyState;

    // What the last pass put in force, for the caller of SyncAsync; under the state store's gate.
    private IsolationSyncResult _lastApplied = IsolationSyncResult.None;

    /// <summary>The isolation view of <paramref name="state"/>, applied to <paramref name="health"/>'s breakers.</summary>
    public ManualIsolationStore(RuntimeStateStore state, ClusterHealthRegistry health, IProxyStateLookup proxyState)
    {
        _state = state;
        _health = health;
        _proxyState = proxyState;
        state.Register(this);
    }

    string IRuntimeSettingView.Kind => SettingKinds.Isolation;

    /// <summary>Isolates the cluster: committed, then in force; null, changing nothing, when <paramref name="expectedRevision"/> is not its revision.</summary>
    public Task<ManualIsolation?> IsolateAsync(string clusterId, string actor, string? reason, CancellationToken cancellationToken, long? expectedRevision = null) =>
        _state.WriteAsync<ManualIsolation?>(
            async transaction =>
            {
                var isolation = new ManualIsolation(clusterId, reason, actor, transaction.Now);
                return await CommitAsync(transaction, clusterId, isolation, new IsolationChange(clusterId, isolation.At, actor, IsolationChange.IsolateAction, reason), expectedRevision).ConfigureAwait(false) ? isolation : null;
            },
            cancellationToken);

    /// <summary>
    /// Removes the cluster's isolation (committed first), then closes its breaker and lifts any isolation here; false,
    /// changing nothing, when <paramref name="expectedRevision"/> is not its revision.
    /// </summary>
    public Task<bool> ResetAsync(string clusterId, string actor, string? reason, CancellationToken cancellationToken, long? expectedRevision = null) =>
        _state.WriteAsync(
            async transaction =>
            {
                var change = new IsolationChange(clusterId, transaction.Now, actor, IsolationChange.ResetAction, reason);
                if (!await CommitAsync(transaction, clusterId, null, change, expectedRevision).ConfigureAwait(false))
                {
                    return false;
                }

                await _health.ResetAsync(clusterId).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    /// <summary>The revision of the cluster's isolation setting (0 when it was never isolated): its ETag.</summary>
    public Task<long> GetRevisionAsync(string clusterId, CancellationToken cancellationToken) =>
        _state.WriteAsync(transaction => Task.FromResult(transaction.RevisionOf(IsolationSetting.Key(clusterId))), cancellationToken);

    /// <summary>
    /// Puts the persisted isolations in force and lifts manual isolations that are no longer persisted: at start-up (after
    /// the breakers are configured) and on a reload. Isolations of clusters YARP does not know stay persisted and apply
    /// once the cluster exists. Throws <see cref="StateUnavailableException"/> while the repository cannot be reached.
    /// </summary>
    public Task<IsolationSyncResult> SyncAsync(CancellationToken cancellationToken) =>
        _state.WriteAsync(
            async transaction =>
            {
                _lastApplied = IsolationSyncResult.None;
                await ApplyAllAsync(transaction.All(SettingKinds.Isolation)).ConfigureAwait(false);
                return _lastApplied;
            },
            cancellationToken);

    /// <summary>A cluster's isolation audit trail, newest first.</summary>
    public async Task<IReadOnlyList<IsolationChange>> GetHistoryAsync(string clusterId, int limit, CancellationToken cancellationToken) =>
        [.. (await _state.GetHistoryAsync(IsolationSetting.Key(clusterId), limit, cancellationToken).ConfigureAwait(false)).Select(IsolationSetting.Read)];

    Task IRuntimeSettingView.RestartAsync(StateTransaction transaction, CancellationToken cancellationToken) =>
        ApplyAllAsync(transaction.All(SettingKinds.Isolation));

    Task IRuntimeSettingView.ApplyAsync(IReadOnlyList<SettingUpdate> updates, CancellationToken cancellationToken) =>
        ApplyAllAsync(_state.GetPersisted(SettingKinds.Isolation));

    private async Task<bool> CommitAsync(StateTransaction transaction, string clusterId, ManualIsolation? after, IsolationChange change, long? expectedRevision)
    {
        var key = IsolationSetting.Key(clusterId);
        var before = transaction.Get(key) is { } stored ? IsolationSetting.Read(stored) : null;

        // Put in force here rather than by ApplyAllAsync: an isolation already in force takes the new reason, and a reset
        // also closes a breaker that tripped on its own.
        if (await transaction.CommitNextAsync(key, StateJson.Write(after), r => IsolationSetting.Change(change, r, before, after), expectedRevision, apply: false).ConfigureAwait(false) is null)
        {
            return false;
        }

        if (after is not null)
        {
            await _health.IsolateAsync(clusterId, after.Description).ConfigureAwait(false);
        }

        return true;
    }

    // Under the state store's gate: this instance's commits and other instances' alike end here.
    private async Task ApplyAllAsync(IReadOnlyList<StoredSetting> persisted)
    {
        var isolations = persisted.Select(IsolationSetting.Read).OfType<ManualIsolation>().ToDictionary(i => i.ClusterId, StringComparer.OrdinalIgnoreCase);
        var applied = _health.ManuallyIsolatedClusters().ToHashSet(StringComparer.OrdinalIgnoreCase);

        var isolated = new List<ManualIsolation>();
        foreach (var isolation in isolations.Values)
        {
            if (!applied.Contains(isolation.ClusterId) && _proxyState.TryGetCluster(isolation.ClusterId, out _))
            {
                await _health.IsolateAsync(isolation.ClusterId, isolation.Description).ConfigureAwait(false);
                isolated.Add(isolation);
            }
        }

        var lifted = new List<string>();
        foreach (var clusterId in applied)
        {
            if (!isolations.ContainsKey(clusterId))
            {
                await _health.LiftManualIsolationAsync(clusterId).ConfigureAwait(false);
                lifted.Add(clusterId);
            }
        }

        if (isolated.Count > 0 || lifted.Count > 0)
        {
            _lastApplied = new IsolationSyncResult([.. _lastApplied.Isolated, .. isolated], [.. _lastApplied.Lifted, .. lifted]);
        }
    }
}
