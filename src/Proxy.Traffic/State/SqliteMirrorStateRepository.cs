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

    public Task<IReadOnlyList<MirrorOverride>> LoadAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<MirrorOverride>>(_database.Query(
            "SELECT route_id, mirror, configured FROM route_mirrors ORDER BY route_id",
            reader => new MirrorOverride(reader.GetString(0), Read(reader, 1), Read(reader, 2))));

    public Task SaveAsync(MirrorOverride setting, MirrorChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return Commit(change, (connection, transaction) => SqliteStateDatabase.Execute(
            connection,
            transaction,
            """
            INSERT INTO route_mirrors (route_id, mirror, configured) VALUES ($route, $mirror, $configured)
            ON CONFLICT (route_id) DO UPDATE SET mirror = excluded.mirror, configured = excluded.configured
            """,
            ("$route", setting.RouteId),
            ("$mirror", Write(setting.Mirror)),
            ("$configured", Write(setting.Configured))));
    }

    public Task ClearAsync(string routeId, MirrorChange change, CancellationToken cancellationToken) =>
        Commit(change, (connection, transaction) => SqliteStateDatabase.Execute(
            connection, transaction, "DELETE FROM route_mirrors WHERE route_id = $route", ("$route", routeId)));

    public Task<IReadOnlyList<MirrorChange>> GetHistoryAsync(string routeId, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<MirrorChange>>(_database.Query(
            "SELECT route_id, at, actor, action, before, after, reason FROM mirror_history WHERE route_id = $route ORDER BY id DESC LIMIT $limit",
            reader => new MirrorChange(
                reader.GetString(0),
                SqliteStateDatabase.ReadTimestamp(reader, 1),
                reader.GetString(2),
                reader.GetString(3),
                Read(reader, 4),
                Read(reader, 5),
                SqliteStateDatabase.ReadText(reader, 6)),
            ("$route", routeId),
            ("$limit", limit)));

    // The setting's statement and its audit entry in one transaction.
    private Task Commit(MirrorChange change, Action<SqliteConnection, SqliteTransaction> setting)
    {
        ArgumentNullException.ThrowIfNull(change);
        _database.Write((connection, transaction) =>
        {
            setting(connection, transaction);
            SqliteStateDatabase.Execute(
                connection,
                transaction,
                "INSERT INTO mirror_history (route_id, at, actor, action, before, after, reason) VALUES ($route, $at, $actor, $action, $before, $after, $reason)",
                ("$route", change.RouteId),
                ("$at", SqliteStateDatabase.Timestamp(change.At)),
                ("$actor", change.Actor),
                ("$action", change.Action),
                ("$before", Write(change.Before)),
                ("$after", Write(change.After)),
                ("$reason", change.Reason));
        });
        return Task.CompletedTask;
    }

    private static string? Write(MirrorSettings? mirror) => mirror is null ? null : JsonSerializer.Serialize(mirror, Json);

    private static MirrorSettings? Read(SqliteDataReader reader, int ordinal) =>
        SqliteStateDatabase.ReadText(reader, ordinal) is { } json ? JsonSerializer.Deserialize<MirrorSettings>(json, Json) : null;
}
