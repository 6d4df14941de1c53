namespace Proxy.Traffic.State;

/// <summary>Keeps manual isolations in process memory: nothing survives a restart.</summary>
public sealed class InMemoryIsolationStateRepository : IIsolationStateRepository
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ManualIsolation> _isolations = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<IsolationChange> _history = [];

    public Task<IReadOnlyList<ManualIsolation>> LoadAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<ManualIsolation>>([.. _isolations.Values]);
        }
    }

    public Task SaveAsync(ManualIsolation isolation, IsolationChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(isolation);
        lock (_lock)
        {
            _isolations[isolation.ClusterId] = isolation;
            _history.Add(change);
        }

        return Task.CompletedTask;
    }

    public Task RemoveAsync(string clusterId, IsolationChange change, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _isolations.Remove(clusterId);
            _history.Add(change);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<IsolationChange>> GetHistoryAsync(string clusterId, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<IsolationChange>>(
                [.. _history.Where(c => string.Equals(c.ClusterId, clusterId, StringComparison.OrdinalIgnoreCase)).Reverse().Take(limit)]);
        }
    }
}
