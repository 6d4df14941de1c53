using System.Text.Json;
using StackExchange.Redis;

namespace Proxy.Traffic.State.Redis;

/// <summary>
/// A Redis hash of runtime settings (JSON, one field per lower-cased id) whose every write goes with an audit entry (a list
/// per id, newest first) and an announcement on the fleet's change channel, in one MULTI/EXEC: all or nothing. Runtime
/// mirrors and manual isolations are both kept this way.
/// </summary>
/// <param name="connection">The instance's connection to the fleet's Redis.</param>
/// <param name="hash">The hash of settings.</param>
/// <param name="historyOf">The audit list of an id.</param>
/// <param name="kind">What the settings are, for announcements and errors ("mirror", "isolation").</param>
internal sealed class RedisAuditedHash<TValue, TChange>(RedisStateConnection connection, RedisKey hash, Func<string, RedisKey> historyOf, string kind)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Every setting.</summary>
    public async Task<IReadOnlyList<TValue>> LoadAsync()
    {
        var entries = await connection.CallAsync(db => db.HashGetAllAsync(hash)).ConfigureAwait(false);
        return [.. entries.Select(e => JsonSerializer.Deserialize<TValue>(e.Value.ToString(), Json)!)];
    }

    /// <summary>Sets the id's setting and records its audit entry, together.</summary>
    public Task SetAsync(string id, TValue value, TChange change) =>
        CommitAsync(id, change, transaction => transaction.HashSetAsync(hash, Field(id), JsonSerializer.Serialize(value, Json)));

    /// <summary>Removes the id's setting, if any, and records its audit entry, together.</summary>
    public Task RemoveAsync(string id, TChange change) =>
        CommitAsync(id, change, transaction => transaction.HashDeleteAsync(hash, Field(id)));

    /// <summary>The id's audit trail, newest first.</summary>
    public async Task<IReadOnlyList<TChange>> GetHistoryAsync(string id, int limit)
    {
        var entries = await connection.CallAsync(db => db.ListRangeAsync(historyOf(id), 0, limit - 1)).ConfigureAwait(false);
        return [.. entries.Select(e => JsonSerializer.Deserialize<TChange>(e.ToString(), Json)!)];
    }

    /// <summary>Writes <paramref name="values"/> back, and announces it, only when the hash is gone (compare-and-set); false when it exists.</summary>
    public Task<bool> RebuildAsync(IEnumerable<(string Id, TValue Value)> values)
    {
        var fields = values.Select(v => new HashEntry(Field(v.Id), JsonSerializer.Serialize(v.Value, Json))).ToArray();
        return connection.CallAsync(async db =>
        {
            var transaction = db.CreateTransaction();
            transaction.AddCondition(Condition.KeyNotExists(hash));
            var queued = new[]
            {
                transaction.HashSetAsync(hash, fields),
                transaction.PublishAsync(connection.Keys.Changes, $"{kind}s rebuilt by {connection.InstanceName}"),
            };
            if (!await transaction.ExecuteAsync().ConfigureAwait(false))
            {
                return false;
            }

            await Task.WhenAll(queued).ConfigureAwait(false);
            return true;
        });
    }

    private static RedisValue Field(string id) => id.ToLowerInvariant();

    private Task CommitAsync(string id, TChange change, Func<ITransaction, Task> write)
    {
        var entry = JsonSerializer.Serialize(change, Json);
        var message = $"{kind} {id} by {connection.InstanceName}";
        return connection.CallAsync(async db =>
        {
            var transaction = db.CreateTransaction();
            var queued = new[]
            {
                write(transaction),
                transaction.ListLeftPushAsync(historyOf(id), entry),
                transaction.PublishAsync(connection.Keys.Changes, message),
            };
            if (!await transaction.ExecuteAsync().ConfigureAwait(false))
            {
                throw new InvalidOperationException($"Redis did not apply the {kind} change of '{id}'.");
            }

            await Task.WhenAll(queued).ConfigureAwait(false);
        });
    }
}
