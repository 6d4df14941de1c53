using Microsoft.Data.Sqlite;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.State;

/// <summary>
/// Keeps split state in one SQLite file, in WAL mode with full sync: a commit is on disk when it returns, so an
/// acknowledged change survives <c>kill -9</c> and power loss.
/// </summary>
/// <remarks>Microsoft.Data.Sqlite runs its async methods synchronously, so this class uses the synchronous API directly.</remarks>
public sealed class SqliteSplitStateRepository : ISplitStateRepository
{
    private const int SchemaVersion = 1;
    private const int SqliteConstraint = 19;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS route_splits (
            route_id   TEXT    NOT NULL PRIMARY KEY COLLATE NOCASE,
            revision   INTEGER NOT NULL,
            current    TEXT    NULL,
            configured TEXT    NULL);
        CREATE TABLE IF NOT EXISTS split_history (
            route_id TEXT    NOT NULL COLLATE NOCASE,
            revision INTEGER NOT NULL,
            at       TEXT    NOT NULL,
            actor    TEXT    NOT NULL,
            action   TEXT    NOT NULL,
            source   TEXT    NOT NULL,
            before   TEXT    NULL,
            after    TEXT    NULL,
            reason   TEXT    NULL,
            PRIMARY KEY (route_id, revision));
        """;

    private readonly SqliteStateDatabase _database;

    /// <summary>Uses (and creates when missing) the database file at <paramref name="path"/>.</summary>
    public SqliteSplitStateRepository(string path) =>
        _database = new SqliteStateDatabase(path, Schema + $"PRAGMA user_version = {SchemaVersion};");

    /// <summary>The database file.</summary>
    public string DatabasePath => _database.DatabasePath;

    public Task<IReadOnlyList<RouteSplitRecord>> LoadAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RouteSplitRecord>>(_database.Query(
            "SELECT route_id, revision, current, configured FROM route_splits ORDER BY route_id",
            reader => new RouteSplitRecord(reader.GetString(0), reader.GetInt64(1), ReadState(reader, 2), ReadState(reader, 3))));

    public Task CommitAsync(IReadOnlyList<SplitCommit> commits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commits);
        _database.Write((connection, transaction) =>
        {
            foreach (var (route, entry) in commits)
            {
                WriteRoute(connection, transaction, route);
                WriteEntry(connection, transaction, entry);
            }
        });
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SplitRevision>> GetHistoryAsync(string routeId, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SplitRevision>>(_database.Query(
            """
            SELECT route_id, revision, at, actor, action, source, before, after, reason
            FROM split_history WHERE route_id = $route ORDER BY revision DESC LIMIT $limit
            """,
            reader => new SplitRevision(
                reader.GetString(0),
                reader.GetInt64(1),
                SqliteStateDatabase.ReadTimestamp(reader, 2),
                reader.GetString(3),
                reader.GetString(4),
                Enum.Parse<SplitChangeSource>(reader.GetString(5), ignoreCase: true),
                ReadState(reader, 6),
                ReadState(reader, 7),
                SqliteStateDatabase.ReadText(reader, 8)),
            ("$route", routeId),
            ("$limit", limit)));

    public Task PingAsync(CancellationToken cancellationToken)
    {
        _database.Query("SELECT count(*) FROM route_splits", reader => reader.GetInt64(0));
        return Task.CompletedTask;
    }

    private static SplitState? ReadState(SqliteDataReader reader, int ordinal) => SplitStateJson.Read(SqliteStateDatabase.ReadText(reader, ordinal));

    private static void WriteRoute(SqliteConnection connection, SqliteTransaction transaction, RouteSplitRecord route)
    {
        var sql = route.Revision == 1
            ? "INSERT INTO route_splits (route_id, revision, current, configured) VALUES ($route, $revision, $current, $configured)"
            : "UPDATE route_splits SET revision = $revision, current = $current, configured = $configured WHERE route_id = $route AND revision = $revision - 1";
        var changed = Execute(route.RouteId, route.Revision, () => SqliteStateDatabase.Execute(
            connection,
            transaction,
            sql,
            ("$route", route.RouteId),
            ("$revision", route.Revision),
            ("$current", SplitStateJson.Write(route.Current)),
            ("$configured", SplitStateJson.Write(route.Configured))));
        if (changed != 1)
        {
            throw SplitRevisionConflictException.For(route.RouteId, route.Revision);
        }
    }

    private static void WriteEntry(SqliteConnection connection, SqliteTransaction transaction, SplitRevision entry) =>
        Execute(entry.RouteId, entry.Revision, () => SqliteStateDatabase.Execute(
            connection,
            transaction,
            """
            INSERT INTO split_history (route_id, revision, at, actor, action, source, before, after, reason)
            VALUES ($route, $revision, $at, $actor, $action, $source, $before, $after, $reason)
            """,
            ("$route", entry.RouteId),
            ("$revision", entry.Revision),
            ("$at", SqliteStateDatabase.Timestamp(entry.At)),
            ("$actor", entry.Actor),
            ("$action", entry.Action),
            ("$source", entry.Source.ToString().ToLowerInvariant()),
            ("$before", SplitStateJson.Write(entry.Before)),
            ("$after", SplitStateJson.Write(entry.After)),
            ("$reason", entry.Reason)));

    private static int Execute(string routeId, long revision, Func<int> statement)
    {
        try
        {
            return statement();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint)
        {
            // A primary key already taken: another writer created this revision first.
            throw SplitRevisionConflictException.For(routeId, revision, ex);
        }
    }
}
