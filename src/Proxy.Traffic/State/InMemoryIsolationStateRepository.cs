namespace Proxy.Traffic.State;

/// <summary>Keeps manual isolations in process memory: nothing survives a restart.</summary>
public sealed class InMemoryIsolationStateRepository : IIsolationStateRepository
{
    private readonly InMemoryAuditedSettings<ManualIsolation, IsolationChange> _isolations = new(c => c.ClusterId);

    public Task<IReadOnlyList<ManualIsolation>> LoadAsync(CancellationToken cancellationToken) => _isolations.LoadAsync();

    public Task SaveAsync(ManualIsolation isolation, IsolationChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(isolation);
        return _isolations.SetAsync(isolation.ClusterId, isolation, change);
    }

    public Task RemoveAsync(string clusterId, IsolationChange change, CancellationToken cancellationToken) => _isolations.RemoveAsync(clusterId, change);

    public Task<IReadOnlyList<IsolationChange>> GetHistoryAsync(string clusterId, int limit, CancellationToken cancellationToken) =>
        _isolations.GetHistoryAsync(clusterId, limit);
}
