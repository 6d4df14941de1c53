namespace Proxy.Traffic.State;

/// <summary>Keeps split state in process memory: nothing survives a restart. For tests and for gateways that want no state file.</summary>
public sealed class InMemorySplitStateRepository : ISplitStateRepository
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, RouteSplitRecord> _routes = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<SplitRevision>> _history = new(StringComparer.OrdinalIgnoreCase);

    public Task<IReadOnlyList<RouteSplitRecord>> LoadAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<RouteSplitRecord>>([.. _routes.Values]);
        }
    }

    public Task CommitAsync(IReadOnlyList<SplitCommit> commits, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            // Check every commit before writing any, so that a batch is all or nothing.
            var revisions = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
            foreach (var (route, _) in commits)
            {
                var persisted = revisions.TryGetValue(route.RouteId, out var pending)
                    ? pending
                    : _routes.TryGetValue(route.RouteId, out var record) ? record.Revision : 0;
                if (route.Revision != persisted + 1)
                {
                    throw SplitRevisionConflictException.For(route.RouteId, route.Revision);
                }

                revisions[route.RouteId] = route.Revision;
            }

            foreach (var (route, entry) in commits)
            {
                _routes[route.RouteId] = route;
                if (!_history.TryGetValue(route.RouteId, out var history))
                {
                    _history[route.RouteId] = history = [];
                }

                history.Add(entry);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SplitRevision>> GetHistoryAsync(string routeId, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<SplitRevision> entries = _history.TryGetValue(routeId, out var history)
                ? [.. history.AsEnumerable().Reverse().Take(limit)]
                : [];
            return Task.FromResult(entries);
        }
    }

    public Task PingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
