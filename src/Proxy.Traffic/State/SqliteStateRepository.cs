using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Proxy.Traffic.State;

/// <summary>
/// Keeps every runtime setting and its audit trail in one SQLite file, in WAL mode with full sync: a commit is on disk
/// when it returns, so an acknowledged change survives <c>kill -9</c> and power loss. Single instance: the fleet
/// features of the contract are no-ops. A file written before issue 16 is migrated when first opened
/// (<see cref="Migration.SqliteLegacyImport"/>).
/// </summary>
/// <remarks>Microsoft.Data.Sqlite runs its async methods synchronously, so this class uses the synchronous API directly.</remarks>
public sealed class SqliteStateRepository : IStateRepository
{
    /// <summary>2: the <c>settings</c> and <c>setting_history</c> tables of issue 16 (1: a table pair per kind).</summary>
    internal const int SchemaVersion = 2;

    private const int SqliteConstraint = 19;

    // Per connection: FULL syncs the WAL on every commit (NORMAL, the usual WAL setting, may lose the last commits on power loss).
    private const string ConnectionPragmas = "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;";

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS settings (
            kind     TEXT    NOT NULL,
            id       TEXT    NOT NULL COLLATE NOCASE,
            revision INTEGER NOT NULL,
            value    TEXT    NULL,
            PRIMARY KEY (kind, id));
        CREATE TABLE IF NOT EXISTS setting_history (
            kind     TEXT    NOT NULL,
            id       TEXT    NOT NULL COLLATE NOCASE,
            revision INTEGER NOT NULL,
            at       TEXT    NOT NULL,
            actor    TEXT    NOT NULL,
            action   TEXT    NOT NULL,
            source   TEXT    NOT NULL,
            before   TEXT    NULL,
            after    TEXT    NULL,
            reason   TEXT    NULL,
            PRIMARY KEY (kind, id, revision));
        """;

    private readonly string _connectionString;
    private readonly Lock _initialization = new();
    private volatile bool _initialized;

    /// <summary>Uses (and creates when missing) the database file at <paramref name="path"/>.</summary>
    public SqliteStateRepository(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        DatabasePath = Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = DatabasePath, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true }.ToString();
    }

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    public bool IsShared => false;

    public string InstanceName => Environment.MachineName;

    public bool IsConnected => true;

    public Task<PersistedState> LoadAsync(CancellationToken cancellationToken)
    {
        using var connection = Open();
        return Task.FromResult(new PersistedState(null, Query(
            connection, null, "SELECT kind, id, revision, value FROM settings ORDER BY kind, id",
            r => new StoredSetting(new SettingKey(r.GetString(0), r.GetString(1)), r.GetInt64(2), r[3] as string))));
    }

    public Task CommitAsync(IReadOnlyList<SettingCommit> commits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commits);
        using var connection = Open();

        // BEGIN IMMEDIATE takes the write lock up front, so two writers cannot both read and then collide.
        using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var (setting, change) in commits)
        {
            WriteSetting(connection, transaction, setting, insert: setting.Revision == 1);
            WriteChange(connection, transaction, change);
        }

        transaction.Commit();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SettingChange>> GetHistoryAsync(SettingKey key, int limit, CancellationToken cancellationToken)
    {
        using var connection = Open();
        return Task.FromResult<IReadOnlyList<SettingChange>>(Query(
            connection,
            null,
            """
            SELECT kind, id, revision, at, actor, action, source, before, after, reason
            FROM setting_history WHERE kind = $kind AND id = $id ORDER BY revision DESC LIMIT $limit
            """,
            r => new SettingChange(
                new SettingKey(r.GetString(0), r.GetString(1)), r.GetInt64(2), ReadTimestamp(r, 3), r.GetString(4), r.GetString(5), r.GetString(6),
                r[7] as string, r[8] as string, r[9] as string),
            ("$kind", key.Kind),
            ("$id", key.Id),
            ("$limit", limit)));
    }

    public Task PingAsync(CancellationToken cancellationToken)
    {
        using var connection = Open();
        Query(connection, null, "SELECT count(*) FROM settings", r => r.GetInt64(0));
        return Task.CompletedTask;
    }

    public Task SubscribeAsync(Action changed, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<bool> RebuildAsync(IReadOnlyList<StoredSetting> settings, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task ReportAsync(InstanceReport report, TimeSpan timeToLive, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<InstanceReport>> GetReportsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<InstanceReport>>([]);

    /// <summary>Writes a setting: inserted, or an update of the revision before (compare-and-set).</summary>
    internal static void WriteSetting(SqliteConnection connection, SqliteTransaction transaction, StoredSetting setting, bool insert)
    {
        var sql = insert
            ? "INSERT INTO settings (kind, id, revision, value) VALUES ($kind, $id, $revision, $value)"
            : "UPDATE settings SET revision = $revision, value = $value WHERE kind = $kind AND id = $id AND revision = $revision - 1";
        if (ExecuteRevision(connection, transaction, setting.Key, setting.Revision, sql, ("$value", setting.Value)) != 1)
        {
            throw StateConflictException.For(setting.Key, setting.Revision);
        }
    }

    internal static void WriteChange(SqliteConnection connection, SqliteTransaction transaction, SettingChange change) =>
        ExecuteRevision(
            connection,
            transaction,
            change.Key,
            change.Revision,
            """
            INSERT INTO setting_history (kind, id, revision, at, actor, action, source, before, after, reason)
            VALUES ($kind, $id, $revision, $at, $actor, $action, $source, $before, $after, $reason)
            """,
            ("$at", change.At.ToString("O", CultureInfo.InvariantCulture)),
            ("$actor", change.Actor),
            ("$action", change.Action),
            ("$source", change.Source),
            ("$before", change.Before),
            ("$after", change.After),
            ("$reason", change.Reason));

    /// <summary>Runs statements (a null parameter value is SQL NULL); returns the rows they changed.</summary>
    internal static int Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    /// <summary>The rows of a query, each made by <paramref name="read"/>.</summary>
    internal static List<T> Query<T>(
        SqliteConnection connection, SqliteTransaction? transaction, string sql, Func<SqliteDataReader, T> read, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>An instant stored as round-trip ISO 8601 text.</summary>
    internal static DateTimeOffset ReadTimestamp(SqliteDataReader reader, int ordinal) =>
        DateTimeOffset.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    // A statement about one setting's revision; a primary key already taken means another writer created that revision first.
    private static int ExecuteRevision(SqliteConnection connection, SqliteTransaction transaction, SettingKey key, long revision, string sql, params (string, object?)[] parameters)
    {
        try
        {
            return Execute(connection, transaction, sql, [("$kind", key.Kind), ("$id", key.Id), ("$revision", revision), .. parameters]);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint)
        {
            throw StateConflictException.For(key, revision, ex);
        }
    }

    // An open connection (pooled) with the per-connection settings; the first creates the file, its tables and migrates an older one.
    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            if (!_initialized)
            {
                Initialize();
            }

            connection.Open();
            Execute(connection, null, ConnectionPragmas);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Initialize()
    {
        lock (_initialization)
        {
            if (_initialized)
            {
                return;
            }

            if (Path.GetDirectoryName(DatabasePath) is { Length: > 0 } directory)
            {
                Directory.CreateDirectory(directory);
            }

            using var connection = new SqliteConnection(_connectionString);
            connection.Open();

            // WAL is a property of the file: once set, it stays.
            Execute(connection, null, "PRAGMA journal_mode = WAL; " + ConnectionPragmas);
            using var transaction = connection.BeginTransaction(deferred: false);
            Execute(connection, transaction, Schema);
            Migration.SqliteLegacyImport.Run(connection, transaction);
            transaction.Commit();
            _initialized = true;
        }
    }
}
