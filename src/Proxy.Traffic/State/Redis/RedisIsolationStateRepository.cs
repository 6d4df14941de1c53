using System.Text.Json;
using StackExchange.Redis;

namespace Proxy.Traffic.State.Redis;

/// <summary>
/// Keeps manual isolations and their audit trail in the Redis a gateway fleet shares, so a cluster isolated through any
/// instance is out of rotation on all. Each write is one MULTI/EXEC: the isolation, its audit entry and a notification on
/// the fleet's change channel, all or nothing; <see cref="SplitStateSync"/> then has every instance re-read the isolations.
/// </summary>
public sealed class RedisIsolationStateRepository(RedisStateConnection connection) : IIsolationStateRepository, IRebuildableIsolationStateRepository
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly RedisStateKeys _keys = connection.Keys;

    public async Task<IReadOnlyList<ManualIsolation>> LoadAsync(CancellationToken cancellationToken)
    {
        var entries = await connection.CallAsync(db => db.HashGetAllAsync(_keys.Isolations)).ConfigureAwait(false);
        return [.. entries.Select(e => JsonSerializer.Deserialize<ManualIsolation>(e.Value.ToString(), Json)!)];
    }

    public Task SaveAsync(ManualIsolation isolation, IsolationChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(isolation);
        return CommitAsync(change, transaction =>
            transaction.HashSetAsync(_keys.Isolations, RedisStateKeys.IsolationField(isolation.ClusterId), JsonSerializer.Serialize(isolation, Json)));
    }

    public Task RemoveAsync(string clusterId, IsolationChange change, CancellationToken cancellationToken) =>
        CommitAsync(change, transaction => transaction.HashDeleteAsync(_keys.Isolations, RedisStateKeys.IsolationField(clusterId)));

    public async Task<IReadOnlyList<IsolationChange>> GetHistoryAsync(string clusterId, int limit, CancellationToken cancellationToken)
    {
        var entries = await connection.CallAsync(db => db.ListRangeAsync(_keys.IsolationHistory(clusterId), 0, limit - 1)).ConfigureAwait(false);
        return [.. entries.Select(e => JsonSerializer.Deserialize<IsolationChange>(e.ToString(), Json)!)];
    }

    public Task<bool> RebuildAsync(IReadOnlyList<ManualIsolation> isolations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(isolations);
        var fields = isolations.Select(i => new HashEntry(RedisStateKeys.IsolationField(i.ClusterId), JsonSerializer.Serialize(i, Json))).ToArray();
        return connection.CallAsync(async db =>
        {
            var transaction = db.CreateTransaction();
            transaction.AddCondition(Condition.KeyNotExists(_keys.Isolations));
            var queued = new[]
            {
                transaction.HashSetAsync(_keys.Isolations, fields),
                transaction.PublishAsync(_keys.Changes, "isolations rebuilt by " + connection.InstanceName),
            };
            if (!await transaction.ExecuteAsync().ConfigureAwait(false))
            {
                return false;
            }

            await Task.WhenAll(queued).ConfigureAwait(false);
            return true;
        });
    }

    // The isolation's command, its audit entry and the announcement in one MULTI/EXEC: Redis applies all of them or none.
    private Task CommitAsync(IsolationChange change, Func<ITransaction, Task> isolation)
    {
        ArgumentNullException.ThrowIfNull(change);
        var entry = JsonSerializer.Serialize(change, Json);
        var message = $"isolation {change.ClusterId} by {connection.InstanceName}";
        return connection.CallAsync(async db =>
        {
            var transaction = db.CreateTransaction();
            var queued = new[]
            {
                isolation(transaction),
                transaction.ListLeftPushAsync(_keys.IsolationHistory(change.ClusterId), entry),
                transaction.PublishAsync(_keys.Changes, message),
            };
            if (!await transaction.ExecuteAsync().ConfigureAwait(false))
            {
                throw new InvalidOperationException($"Redis did not apply the isolation change of cluster '{change.ClusterId}'.");
            }

            await Task.WhenAll(queued).ConfigureAwait(false);
        });
    }
}
