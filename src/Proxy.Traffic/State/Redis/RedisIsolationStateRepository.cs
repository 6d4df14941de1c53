namespace Proxy.Traffic.State.Redis;

/// <summary>
/// Keeps manual isolations and their audit trail in the Redis a gateway fleet shares, so a cluster isolated through any
/// instance is out of rotation on all. Each write is one MULTI/EXEC: the isolation, its audit entry and a notification on
/// the fleet's change channel, all or nothing; <see cref="SplitStateSync"/> then has every instance re-read the isolations.
/// </summary>
public sealed class RedisIsolationStateRepository(RedisStateConnection connection) : IIsolationStateRepository, IRebuildableSettings<ManualIsolation>
{
    private readonly RedisAuditedHash<ManualIsolation, IsolationChange> _isolations = new(connection, connection.Keys.Isolations, connection.Keys.IsolationHistory, "isolation");

    public Task<IReadOnlyList<ManualIsolation>> LoadAsync(CancellationToken cancellationToken) => _isolations.LoadAsync();

    public Task SaveAsync(ManualIsolation isolation, IsolationChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(isolation);
        return _isolations.SetAsync(isolation.ClusterId, isolation, change);
    }

    public Task RemoveAsync(string clusterId, IsolationChange change, CancellationToken cancellationToken) => _isolations.RemoveAsync(clusterId, change);

    public Task<IReadOnlyList<IsolationChange>> GetHistoryAsync(string clusterId, int limit, CancellationToken cancellationToken) =>
        _isolations.GetHistoryAsync(clusterId, limit);

    public Task<bool> RebuildAsync(IReadOnlyList<ManualIsolation> settings, CancellationToken cancellationToken) =>
        _isolations.RebuildAsync(settings.Select(i => (i.ClusterId, i)));
}
