using Proxy.Traffic.State;
using Yarp.ReverseProxy;

namespace Proxy.Traffic.Health;

/// <summary>
/// The clusters operators took out of rotation. An isolation or reset is committed to the state repository (with its audit
/// entry) before the breaker changes, so an acknowledged isolation survives a restart and, with a shared repository,
/// reaches every instance through <see cref="SyncAsync"/>. Health isolations and breaker trips stay per instance and in
/// memory. Writers and catch-ups are serialized.
/// </summary>
public sealed class ManualIsolationStore(
    IIsolationStateRepository repository, ClusterHealthRegistry health, IProxyStateLookup proxyState, TimeProvider timeProvider) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    // The isolations as last read from or written to the repository: what this instance writes back to a shared store that lost them.
    private Dictionary<string, ManualIsolation> _persisted = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Isolates the cluster: committed, then in force. Throws <see cref="SplitStateUnavailableException"/>, changing
    /// nothing, when the repository cannot be reached.
    /// </summary>
    public async Task<ManualIsolation> IsolateAsync(string clusterId, string actor, string? reason, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var isolation = new ManualIsolation(clusterId, reason, actor, timeProvider.GetUtcNow());
            await repository.SaveAsync(isolation, IsolationChange.Isolated(isolation), cancellationToken).ConfigureAwait(false);
            _persisted[clusterId] = isolation;
            await health.IsolateAsync(clusterId, isolation.Description).ConfigureAwait(false);
            return isolation;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Removes the cluster's isolation (committed first), then closes its breaker and lifts any isolation here. Throws
    /// <see cref="SplitStateUnavailableException"/>, changing nothing, when the repository cannot be reached.
    /// </summary>
    public async Task ResetAsync(string clusterId, string actor, string? reason, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var change = new IsolationChange(clusterId, timeProvider.GetUtcNow(), actor, IsolationChange.ResetAction, reason);
            await repository.RemoveAsync(clusterId, change, cancellationToken).ConfigureAwait(false);
            _persisted.Remove(clusterId);
            await health.ResetAsync(clusterId).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Puts the persisted isolations in force and lifts manual isolations that are no longer persisted: at start-up (after
    /// the breakers are configured) and, with a shared repository, on every sync pass. Isolations of clusters YARP does not
    /// know stay persisted and apply once the cluster exists. Throws <see cref="SplitStateUnavailableException"/> while the
    /// repository cannot be reached (the isolations in force stay).
    /// </summary>
    public async Task<IsolationSyncResult> SyncAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var loaded = await repository.LoadAsync(cancellationToken).ConfigureAwait(false);
            _persisted = loaded.ToDictionary(i => i.ClusterId, StringComparer.OrdinalIgnoreCase);
            var applied = health.ManuallyIsolatedClusters().ToHashSet(StringComparer.OrdinalIgnoreCase);

            var isolated = new List<ManualIsolation>();
            foreach (var isolation in loaded)
            {
                if (!applied.Contains(isolation.ClusterId) && proxyState.TryGetCluster(isolation.ClusterId, out _))
                {
                    await health.IsolateAsync(isolation.ClusterId, isolation.Description).ConfigureAwait(false);
                    isolated.Add(isolation);
                }
            }

            var lifted = new List<string>();
            foreach (var clusterId in applied)
            {
                if (!_persisted.ContainsKey(clusterId))
                {
                    await health.LiftManualIsolationAsync(clusterId).ConfigureAwait(false);
                    lifted.Add(clusterId);
                }
            }

            return isolated.Count == 0 && lifted.Count == 0 ? IsolationSyncResult.None : new IsolationSyncResult(isolated, lifted);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Writes the isolations this instance holds back to a shared repository that lost them (a Redis that came back empty),
    /// unless another instance was first, so that the next catch-up does not lift them. Returns the isolations written back;
    /// none with an unshared repository.
    /// </summary>
    public async Task<IReadOnlyList<ManualIsolation>> RebuildAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ManualIsolation[] held = [.. _persisted.Values];
            return repository is IRebuildableSettings<ManualIsolation> rebuildable && held.Length > 0
                && await rebuildable.RebuildAsync(held, cancellationToken).ConfigureAwait(false)
                ? held
                : [];
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A cluster's isolation audit trail, newest first.</summary>
    public Task<IReadOnlyList<IsolationChange>> GetHistoryAsync(string clusterId, int limit, CancellationToken cancellationToken) =>
        repository.GetHistoryAsync(clusterId, limit, cancellationToken);

    public void Dispose() => _gate.Dispose();
}
