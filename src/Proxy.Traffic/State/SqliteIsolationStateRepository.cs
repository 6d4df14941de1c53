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

    public Task<IReadOnlyList<ManualIsolation>> LoadAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ManualIsolation>>(_database.Query(
            "SELECT cluster_id, reason, actor, at FROM cluster_isolations ORDER BY cluster_id",
            reader => new ManualIsolation(reader.GetString(0), SqliteStateDatabase.ReadText(reader, 1), reader.GetString(2), SqliteStateDatabase.ReadTimestamp(reader, 3))));

    public Task SaveAsync(ManualIsolation isolation, IsolationChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(isolation);
        return Commit(change, (connection, transaction) => SqliteStateDatabase.Execute(
            connection,
            transaction,
            """
            INSERT INTO cluster_isolations (cluster_id, reason, actor, at) VALUES ($cluster, $reason, $actor, $at)
            ON CONFLICT (cluster_id) DO UPDATE SET reason = excluded.reason, actor = excluded.actor, at = excluded.at
            """,
            ("$cluster", isolation.ClusterId),
            ("$reason", isolation.Reason),
            ("$actor", isolation.Actor),
            ("$at", SqliteStateDatabase.Timestamp(isolation.At))));
    }

    public Task RemoveAsync(string clusterId, IsolationChange change, CancellationToken cancellationToken) =>
        Commit(change, (connection, transaction) => SqliteStateDatabase.Execute(
            connection, transaction, "DELETE FROM cluster_isolations WHERE cluster_id = $cluster", ("$cluster", clusterId)));

    public Task<IReadOnlyList<IsolationChange>> GetHistoryAsync(string clusterId, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IsolationChange>>(_database.Query(
            "SELECT cluster_id, at, actor, action, reason FROM isolation_history WHERE cluster_id = $cluster ORDER BY id DESC LIMIT $limit",
            reader => new IsolationChange(
                reader.GetString(0), SqliteStateDatabase.ReadTimestamp(reader, 1), reader.GetString(2), reader.GetString(3), SqliteStateDatabase.ReadText(reader, 4)),
            ("$cluster", clusterId),
            ("$limit", limit)));

    // The isolation's statement and its audit entry in one transaction.
    private Task Commit(IsolationChange change, Action<SqliteConnection, SqliteTransaction> isolation)
    {
        ArgumentNullException.ThrowIfNull(change);
        _database.Write((connection, transaction) =>
        {
            isolation(connection, transaction);
            SqliteStateDatabase.Execute(
                connection,
                transaction,
                "INSERT INTO isolation_history (cluster_id, at, actor, action, reason) VALUES ($cluster, $at, $actor, $action, $reason)",
                ("$cluster", change.ClusterId),
                ("$at", SqliteStateDatabase.Timestamp(change.At)),
                ("$actor", change.Actor),
                ("$action", change.Action),
                ("$reason", change.Reason));
        });
        return Task.CompletedTask;
    }
}
