namespace Proxy.Traffic.State;

/// <summary>Keeps runtime mirror settings in process memory: nothing survives a restart.</summary>
public sealed class InMemoryMirrorStateRepository : IMirrorStateRepository
{
    private readonly InMemoryAuditedSettings<MirrorOverride, MirrorChange> _mirrors = new(c => c.RouteId);

    public Task<IReadOnlyList<MirrorOverride>> LoadAsync(CancellationToken cancellationToken) => _mirrors.LoadAsync();

    public Task SaveAsync(MirrorOverride setting, MirrorChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return _mirrors.SetAsync(setting.RouteId, setting, change);
    }

    public Task ClearAsync(string routeId, MirrorChange change, CancellationToken cancellationToken) => _mirrors.RemoveAsync(routeId, change);

    public Task<IReadOnlyList<MirrorChange>> GetHistoryAsync(string routeId, int limit, CancellationToken cancellationToken) =>
        _mirrors.GetHistoryAsync(routeId, limit);
}
