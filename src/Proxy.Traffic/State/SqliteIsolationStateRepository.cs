using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Proxy.Traffic.State;

/// <summary>Keeps manual isolations and their audit trail in the gateway's SQLite state file, next to the splits.</summary>
/// <remarks>Microsoft.Data.Sqlite runs its async methods synchronously, so this class uses the synchronous API directly.</remarks>
public sealed class SqliteIsolationStateRepository(string path) : IIsolationStateRepository
{
    private readonly SqliteStateDatabase _database = new(path, """
        CREATE TABLE IF NOT EXISTS cluster_isolations (
            cluster_id TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
            reason     TEXT NULL,
            actor      TEXT NOT NULL,
            at         TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS isolation_history (
            id         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
            cluster_id TEXT    NOT NULL COLLATE NOCASE,
            at         TEXT    NOT NULL,
            actor      TEXT    NOT NULL,
            action     TEXT    NOT NULL,
            reason     TEXT    NULL);
        CREATE INDEX IF NOT EXISTS isolation_history_cluster ON isolation_history (cluster_id, id);
        """);

    public Task<IReadOnlyList<ManualIsolation>> LoadAsync(CancellationToken cancellationToken)
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT cluster_id, reason, actor, at FROM cluster_isolations ORDER BY cluster_id";
        using var reader = command.ExecuteReader();
        var isolations = new List<ManualIsolation>();
        while (reader.Read())
        {
            isolations.Add(new ManualIsolation(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), ReadTime(reader, 3)));
        }

        return Task.FromResult<IReadOnlyList<ManualIsolation>>(isolations);
    }

    public Task SaveAsync(ManualIsolation isolation, IsolationChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(isolation);
        return Commit(change, (connection, transaction) =>
        {
            using var upsert = connection.CreateCommand();
            upsert.Transaction = transaction;
            upsert.CommandText = """
                INSERT INTO cluster_isolations (cluster_id, reason, actor, at) VALUES ($cluster, $reason, $actor, $at)
                ON CONFLICT (cluster_id) DO UPDATE SET reason = excluded.reason, actor = excluded.actor, at = excluded.at
                """;
            upsert.Parameters.AddWithValue("$cluster", isolation.ClusterId);
            upsert.Parameters.AddWithValue("$reason", (object?)isolation.Reason ?? DBNull.Value);
            upsert.Parameters.AddWithValue("$actor", isolation.Actor);
            upsert.Parameters.AddWithValue("$at", isolation.At.ToString("O", CultureInfo.InvariantCulture));
            upsert.ExecuteNonQuery();
        });
    }

    public Task RemoveAsync(string clusterId, IsolationChange change, CancellationToken cancellationToken) =>
        Commit(change, (connection, transaction) =>
        {
            using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM cluster_isolations WHERE cluster_id = $cluster";
            delete.Parameters.AddWithValue("$cluster", clusterId);
            delete.ExecuteNonQuery();
        });

    public Task<IReadOnlyList<IsolationChange>> GetHistoryAsync(string clusterId, int limit, CancellationToken cancellationToken)
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT cluster_id, at, actor, action, reason
            FROM isolation_history WHERE cluster_id = $cluster ORDER BY id DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$cluster", clusterId);
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var changes = new List<IsolationChange>();
        while (reader.Read())
        {
            changes.Add(new IsolationChange(
                reader.GetString(0), ReadTime(reader, 1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return Task.FromResult<IReadOnlyList<IsolationChange>>(changes);
    }

    // The isolation's statement and its audit entry in one transaction, taking the write lock up front.
    private Task Commit(IsolationChange change, Action<SqliteConnection, SqliteTransaction> isolation)
    {
        ArgumentNullException.ThrowIfNull(change);
        using var connection = _database.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        isolation(connection, transaction);
        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO isolation_history (cluster_id, at, actor, action, reason)
                VALUES ($cluster, $at, $actor, $action, $reason)
                """;
            insert.Parameters.AddWithValue("$cluster", change.ClusterId);
            insert.Parameters.AddWithValue("$at", change.At.ToString("O", CultureInfo.InvariantCulture));
            insert.Parameters.AddWithValue("$actor", change.Actor);
            insert.Parameters.AddWithValue("$action", change.Action);
            insert.Parameters.AddWithValue("$reason", (object?)change.Reason ?? DBNull.Value);
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
        return Task.CompletedTask;
    }

    private static DateTimeOffset ReadTime(SqliteDataReader reader, int ordinal) =>
        DateTimeOffset.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
