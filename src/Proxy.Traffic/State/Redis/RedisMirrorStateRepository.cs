using System.Text.Json;
using StackExchange.Redis;

namespace Proxy.Traffic.State.Redis;

/// <summary>
/// Keeps runtime mirror settings and their audit trail in the Redis a gateway fleet shares, so a mirror set through any
/// instance is in force on all. Each write is one MULTI/EXEC: the setting, its audit entry and a notification on the
/// fleet's change channel, all or nothing; <see cref="SplitStateSync"/> then has every instance re-read the settings.
/// </summary>
public sealed class RedisMirrorStateRepository(RedisStateConnection connection) : IMirrorStateRepository, IRebuildableMirrorStateRepository
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly RedisStateKeys _keys = connection.Keys;

    public async Task<IReadOnlyList<MirrorOverride>> LoadAsync(CancellationToken cancellationToken)
    {
        var entries = await connection.CallAsync(db => db.HashGetAllAsync(_keys.Mirrors)).ConfigureAwait(false);
        return [.. entries.Select(e => JsonSerializer.Deserialize<MirrorOverride>(e.Value.ToString(), Json)!)];
    }

    public Task SaveAsync(MirrorOverride setting, MirrorChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return CommitAsync(change, transaction => transaction.HashSetAsync(_keys.Mirrors, RedisStateKeys.MirrorField(setting.RouteId), JsonSerializer.Serialize(setting, Json)));
    }

    public Task ClearAsync(string routeId, MirrorChange change, CancellationToken cancellationToken) =>
        CommitAsync(change, transaction => transaction.HashDeleteAsync(_keys.Mirrors, RedisStateKeys.MirrorField(routeId)));

    public async Task<IReadOnlyList<MirrorChange>> GetHistoryAsync(string routeId, int limit, CancellationToken cancellationToken)
    {
        var entries = await connection.CallAsync(db => db.ListRangeAsync(_keys.MirrorHistory(routeId), 0, limit - 1)).ConfigureAwait(false);
        return [.. entries.Select(e => JsonSerializer.Deserialize<MirrorChange>(e.ToString(), Json)!)];
    }

    public Task<bool> RebuildAsync(IReadOnlyList<MirrorOverride> settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var fields = settings.Select(o => new HashEntry(RedisStateKeys.MirrorField(o.RouteId), JsonSerializer.Serialize(o, Json))).ToArray();
        return connection.CallAsync(async db =>
        {
            var transaction = db.CreateTransaction();
            transaction.AddCondition(Condition.KeyNotExists(_keys.Mirrors));
            var queued = new[]
            {
                transaction.HashSetAsync(_keys.Mirrors, fields),
                transaction.PublishAsync(_keys.Changes, "mirrors rebuilt by " + connection.InstanceName),
            };
            if (!await transaction.ExecuteAsync().ConfigureAwait(false))
            {
                return false;
            }

            await Task.WhenAll(queued).ConfigureAwait(false);
            return true;
        });
    }

    // The setting's command, its audit entry and the announcement in one MULTI/EXEC: Redis applies all of them or none.
    private Task CommitAsync(MirrorChange change, Func<ITransaction, Task> setting)
    {
        ArgumentNullException.ThrowIfNull(change);
        var entry = JsonSerializer.Serialize(change, Json);
        var message = $"mirror {change.RouteId} by {connection.InstanceName}";
        return connection.CallAsync(async db =>
        {
            var transaction = db.CreateTransaction();
            var queued = new[]
            {
                setting(transaction),
                transaction.ListLeftPushAsync(_keys.MirrorHistory(change.RouteId), entry),
                transaction.PublishAsync(_keys.Changes, message),
            };
            if (!await transaction.ExecuteAsync().ConfigureAwait(false))
            {
                throw new InvalidOperationException($"Redis did not apply the mirror change of route '{change.RouteId}'.");
            }

            await Task.WhenAll(queued).ConfigureAwait(false);
        });
    }
}
