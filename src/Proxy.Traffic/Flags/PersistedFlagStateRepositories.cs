using Proxy.Traffic.State;
using Proxy.Traffic.State.Redis;

namespace Proxy.Traffic.Flags;

/// <summary>Keeps flags' runtime settings and their audit trail in the gateway's SQLite state file (tables <c>flag_settings</c>, <c>flag_history</c>).</summary>
public sealed class SqliteFlagStateRepository(string path) : IFlagStateRepository
{
    private readonly SqliteAuditedSettings<FlagOverride, FlagChange> _flags = new(path, "flag");

    public Task<IReadOnlyList<FlagOverride>> LoadAsync(CancellationToken cancellationToken) => _flags.LoadAsync();

    public Task SaveAsync(FlagOverride setting, FlagChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return _flags.SetAsync(setting.Name, setting, change);
    }

    public Task ClearAsync(string name, FlagChange change, CancellationToken cancellationToken) => _flags.RemoveAsync(name, change);

    public Task<IReadOnlyList<FlagChange>> GetHistoryAsync(string name, int limit, CancellationToken cancellationToken) => _flags.GetHistoryAsync(name, limit);
}

/// <summary>
/// Keeps flags' runtime settings in the fleet's Redis: each change (setting, audit entry, announcement) in one MULTI/EXEC, so
/// every instance's sync pass re-reads it on the announcement.
/// </summary>
public sealed class RedisFlagStateRepository(RedisStateConnection connection) : IFlagStateRepository
{
    private readonly RedisAuditedHash<FlagOverride, FlagChange> _flags = new(connection, connection.Keys.Settings("flag"), id => connection.Keys.SettingsHistory("flag", id), "flag");

    public Task<IReadOnlyList<FlagOverride>> LoadAsync(CancellationToken cancellationToken) => _flags.LoadAsync();

    public Task SaveAsync(FlagOverride setting, FlagChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return _flags.SetAsync(setting.Name, setting, change);
    }

    public Task ClearAsync(string name, FlagChange change, CancellationToken cancellationToken) => _flags.RemoveAsync(name, change);

    public Task<IReadOnlyList<FlagChange>> GetHistoryAsync(string name, int limit, CancellationToken cancellationToken) => _flags.GetHistoryAsync(name, limit);
}
