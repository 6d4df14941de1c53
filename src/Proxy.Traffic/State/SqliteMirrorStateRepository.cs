using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Proxy.Traffic.Mirroring;

namespace Proxy.Traffic.State;

/// <summary>Keeps runtime mirror settings and their audit trail in the gateway's SQLite state file, next to the splits.</summary>
/// <remarks>Microsoft.Data.Sqlite runs its async methods synchronously, so this class uses the synchronous API directly.</remarks>
public sealed class SqliteMirrorStateRepository(string path) : IMirrorStateRepository
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SqliteStateDatabase _database = new(path, """
        CREATE TABLE IF NOT EXISTS route_mirrors (
            route_id   TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
            mirror     TEXT NULL,
            configured TEXT NULL);
        CREATE TABLE IF NOT EXISTS mirror_history (
            id       INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
            route_id TEXT    NOT NULL COLLATE NOCASE,
            at       TEXT    NOT NULL,
            actor    TEXT    NOT NULL,
            action   TEXT    NOT NULL,
            before   TEXT    NULL,
            after    TEXT    NULL,
            reason   TEXT    NULL);
        CREATE INDEX IF NOT EXISTS mirror_history_route ON mirror_history (route_id, id);
        """);

    public Task<IReadOnlyList<MirrorOverride>> LoadAsync(CancellationToken cancellationToken)
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT route_id, mirror, configured FROM route_mirrors ORDER BY route_id";
        using var reader = command.ExecuteReader();
        var settings = new List<MirrorOverride>();
        while (reader.Read())
        {
            settings.Add(new MirrorOverride(reader.GetString(0), Read(reader, 1), Read(reader, 2)));
        }

        return Task.FromResult<IReadOnlyList<MirrorOverride>>(settings);
    }

    public Task SaveAsync(MirrorOverride setting, MirrorChange change, CancellationToken cancellationToken) =>
        Commit(change, (connection, transaction) =>
        {
            using var upsert = connection.CreateCommand();
            upsert.Transaction = transaction;
            upsert.CommandText = """
                INSERT INTO route_mirrors (route_id, mirror, configured) VALUES ($route, $mirror, $configured)
                ON CONFLICT (route_id) DO UPDATE SET mirror = excluded.mirror, configured = excluded.configured
                """;
            upsert.Parameters.AddWithValue("$route", setting.RouteId);
            upsert.Parameters.AddWithValue("$mirror", DbValue(setting.Mirror));
            upsert.Parameters.AddWithValue("$configured", DbValue(setting.Configured));
            upsert.ExecuteNonQuery();
        });

    public Task ClearAsync(string routeId, MirrorChange change, CancellationToken cancellationToken) =>
        Commit(change, (connection, transaction) =>
        {
            using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM route_mirrors WHERE route_id = $route";
            delete.Parameters.AddWithValue("$route", routeId);
            delete.ExecuteNonQuery();
        });

    public Task<IReadOnlyList<MirrorChange>> GetHistoryAsync(string routeId, int limit, CancellationToken cancellationToken)
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT route_id, at, actor, action, before, after, reason
            FROM mirror_history WHERE route_id = $route ORDER BY id DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$route", routeId);
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var changes = new List<MirrorChange>();
        while (reader.Read())
        {
            changes.Add(new MirrorChange(
                reader.GetString(0),
                DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                reader.GetString(2),
                reader.GetString(3),
                Read(reader, 4),
                Read(reader, 5),
                reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return Task.FromResult<IReadOnlyList<MirrorChange>>(changes);
    }

    // The setting's statement and its audit entry in one transaction, taking the write lock up front.
    private Task Commit(MirrorChange change, Action<SqliteConnection, SqliteTransaction> setting)
    {
        using var connection = _database.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        setting(connection, transaction);
        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO mirror_history (route_id, at, actor, action, before, after, reason)
                VALUES ($route, $at, $actor, $action, $before, $after, $reason)
                """;
            insert.Parameters.AddWithValue("$route", change.RouteId);
            insert.Parameters.AddWithValue("$at", change.At.ToString("O", CultureInfo.InvariantCulture));
            insert.Parameters.AddWithValue("$actor", change.Actor);
            insert.Parameters.AddWithValue("$action", change.Action);
            insert.Parameters.AddWithValue("$before", DbValue(change.Before));
            insert.Parameters.AddWithValue("$after", DbValue(change.After));
            insert.Parameters.AddWithValue("$reason", (object?)change.Reason ?? DBNull.Value);
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
        return Task.CompletedTask;
    }

    private static object DbValue(MirrorSettings? mirror) => mirror is null ? DBNull.Value : JsonSerializer.Serialize(mirror, Json);

    private static MirrorSettings? Read(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : JsonSerializer.Deserialize<MirrorSettings>(reader.GetString(ordinal), Json);
}
