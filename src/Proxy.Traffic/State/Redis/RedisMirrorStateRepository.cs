namespace Proxy.Traffic.State.Redis;

/// <summary>
/// Keeps runtime mirror settings and their audit trail in the Redis a gateway fleet shares, so a mirror set through any
/// instance is in force on all. Each write is one MULTI/EXEC: the setting, its audit entry and a notification on the
/// fleet's change channel, all or nothing; <see cref="SplitStateSync"/> then has every instance re-read the settings.
/// </summary>
public sealed class RedisMirrorStateRepository(RedisStateConnection connection) : IMirrorStateRepository, IRebuildableSettings<MirrorOverride>
{
    private readonly RedisAuditedHash<MirrorOverride, MirrorChange> _mirrors = new(connection, connection.Keys.Mirrors, connection.Keys.MirrorHistory, "mirror");

    public Task<IReadOnlyList<MirrorOverride>> LoadAsync(CancellationToken cancellationToken) => _mirrors.LoadAsync();

    public Task SaveAsync(MirrorOverride setting, MirrorChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return _mirrors.SetAsync(setting.RouteId, setting, change);
    }

    public Task ClearAsync(string routeId, MirrorChange change, CancellationToken cancellationToken) => _mirrors.RemoveAsync(routeId, change);

    public Task<IReadOnlyList<MirrorChange>> GetHistoryAsync(string routeId, int limit, CancellationToken cancellationToken) =>
        _mirrors.GetHistoryAsync(routeId, limit);

    public Task<bool> RebuildAsync(IReadOnlyList<MirrorOverride> settings, CancellationToken cancellationToken) =>
        _mirrors.RebuildAsync(settings.Select(o => (o.RouteId, o)));
}
