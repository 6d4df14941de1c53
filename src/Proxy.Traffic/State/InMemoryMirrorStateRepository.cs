namespace Proxy.Traffic.State;

/// <summary>Keeps runtime mirror settings in process memory: nothing survives a restart.</summary>
public sealed class InMemoryMirrorStateRepository : IMirrorStateRepository
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, MirrorOverride> _settings = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<MirrorChange> _history = [];

    public Task<IReadOnlyList<MirrorOverride>> LoadAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<MirrorOverride>>([.. _settings.Values]);
        }
    }

    public Task SaveAsync(MirrorOverride setting, MirrorChange change, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _settings[setting.RouteId] = setting;
            _history.Add(change);
        }

        return Task.CompletedTask;
    }

    public Task ClearAsync(string routeId, MirrorChange change, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _settings.Remove(routeId);
            _history.Add(change);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<MirrorChange>> GetHistoryAsync(string routeId, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<MirrorChange>>(
                [.. _history.Where(c => string.Equals(c.RouteId, routeId, StringComparison.OrdinalIgnoreCase)).Reverse().Take(limit)]);
        }
    }
}
