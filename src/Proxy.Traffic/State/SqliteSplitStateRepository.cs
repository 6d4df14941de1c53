using System.Globalization;
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

    public Task<IReadOnlyList<RouteSplitRecord>> LoadAsync(CancellationToken cancellationToken)
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT route_id, revision, current, configured FROM route_splits ORDER BY route_id";
        using var reader = command.ExecuteReader();
        var records = new List<RouteSplitRecord>();
        while (reader.Read())
        {
            records.Add(new RouteSplitRecord(reader.GetString(0), reader.GetInt64(1), ReadState(reader, 2), ReadState(reader, 3)));
        }

        return Task.FromResult<IReadOnlyList<RouteSplitRecord>>(records);
    }

    public Task CommitAsync(IReadOnlyList<SplitCommit> commits, CancellationToken cancellationToken)
    {
        using var connection = _database.Open();

        // BEGIN IMMEDIATE takes the write lock up front, so two writers cannot both read a revision and then collide.
        using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var (route, entry) in commits)
        {
            WriteRoute(connection, transaction, route);
            WriteEntry(connection, transaction, entry);
        }

        transaction.Commit();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SplitRevision>> GetHistoryAsync(string routeId, int limit, CancellationToken cancellationToken)
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT route_id, revision, at, actor, action, source, before, after, reason
            FROM split_history WHERE route_id = $route ORDER BY revision DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$route", routeId);
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var entries = new List<SplitRevision>();
        while (reader.Read())
        {
            entries.Add(new SplitRevision(
                reader.GetString(0),
                reader.GetInt64(1),
                DateTimeOffset.Parse(reader.GetString(2), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                reader.GetString(3),
                reader.GetString(4),
                Enum.Parse<SplitChangeSource>(reader.GetString(5), ignoreCase: true),
                ReadState(reader, 6),
                ReadState(reader, 7),
                reader.IsDBNull(8) ? null : reader.GetString(8)));
        }

        return Task.FromResult<IReadOnlyList<SplitRevision>>(entries);
    }

    public Task PingAsync(CancellationToken cancellationToken)
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM route_splits";
        command.ExecuteScalar();
        return Task.CompletedTask;
    }

    private static SplitState? ReadState(SqliteDataReader reader, int ordinal) =>
        SplitStateJson.Read(reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal));

    private static void WriteRoute(SqliteConnection connection, SqliteTransaction transaction, RouteSplitRecord route)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = route.Revision == 1
            ? "INSERT INTO route_splits (route_id, revision, current, configured) VALUES ($route, $revision, $current, $configured)"
            : "UPDATE route_splits SET revision = $revision, current = $current, configured = $configured WHERE route_id = $route AND revision = $revision - 1";
        command.Parameters.AddWithValue("$route", route.RouteId);
        command.Parameters.AddWithValue("$revision", route.Revision);
        command.Parameters.AddWithValue("$current", DbValue(SplitStateJson.Write(route.Current)));
        command.Parameters.AddWithValue("$configured", DbValue(SplitStateJson.Write(route.Configured)));
        if (Execute(command, route.RouteId, route.Revision) != 1)
        {
            throw SplitRevisionConflictException.For(route.RouteId, route.Revision);
        }
    }

    private static void WriteEntry(SqliteConnection connection, SqliteTransaction transaction, SplitRevision entry)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO split_history (route_id, revision, at, actor, action, source, before, after, reason)
            VALUES ($route, $revision, $at, $actor, $action, $source, $before, $after, $reason)
            """;
        command.Parameters.AddWithValue("$route", entry.RouteId);
        command.Parameters.AddWithValue("$revision", entry.Revision);
        command.Parameters.AddWithValue("$at", entry.At.ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$actor", entry.Actor);
        command.Parameters.AddWithValue("$action", entry.Action);
        command.Parameters.AddWithValue("$source", entry.Source.ToString().ToLowerInvariant());
        command.Parameters.AddWithValue("$before", DbValue(SplitStateJson.Write(entry.Before)));
        command.Parameters.AddWithValue("$after", DbValue(SplitStateJson.Write(entry.After)));
        command.Parameters.AddWithValue("$reason", DbValue(entry.Reason));
        Execute(command, entry.RouteId, entry.Revision);
    }

    private static object DbValue(string? value) => (object?)value ?? DBNull.Value;

    private static int Execute(SqliteCommand command, string routeId, long revision)
    {
        try
        {
            return command.ExecuteNonQuery();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint)
        {
            // A primary key already taken: another writer created this revision first.
            throw SplitRevisionConflictException.For(routeId, revision, ex);
        }
    }
}
