using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Proxy.Traffic.State;

/// <summary>
/// The gateway's SQLite state file: created when missing, in WAL mode, full sync on every commit and a busy timeout, with
/// its tables created (and an older file migrated) on first use; plus the few ways <see cref="SqliteStateRepository"/>
/// reads and writes it.
/// </summary>
internal sealed class SqliteStateDatabase
{
    private const int BusyTimeoutMilliseconds = 5000;

    private readonly string _connectionString;
    private readonly string _schema;
    private readonly Action<SqliteConnection, SqliteTransaction>? _migrate;
    private readonly Lock _initialization = new();
    private volatile bool _initialized;

    /// <summary>
    /// The file at <paramref name="path"/>; <paramref name="schema"/> creates the tables if they do not exist, then
    /// <paramref name="migrate"/> runs in one transaction with them.
    /// </summary>
    public SqliteStateDatabase(string path, string schema, Action<SqliteConnection, SqliteTransaction>? migrate = null)
    {
        _migrate = migrate;
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        DatabasePath = Path.GetFullPath(path);
        _schema = schema;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
    }

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    /// <summary>An open connection (pooled) with the per-connection settings applied.</summary>
    public SqliteConnection Open()
    {
        if (!_initialized)
        {
            Initialize();
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();

            // Per connection: FULL syncs the WAL on every commit (NORMAL, the usual WAL setting, may lose the last commits on power loss).
            Execute(connection, $"PRAGMA synchronous = FULL; PRAGMA busy_timeout = {BusyTimeoutMilliseconds};");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Runs statements that return nothing.</summary>
    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs one statement of <paramref name="transaction"/> (a null parameter value is SQL NULL); returns the rows it changed.</summary>
    public static int Execute(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        command.Transaction = transaction;
        return command.ExecuteNonQuery();
    }

    /// <summary>
    /// Runs <paramref name="write"/> in one transaction that takes the write lock up front (BEGIN IMMEDIATE, so two writers
    /// cannot both read and then collide) and commits it: durable when this returns; nothing of it when it throws.
    /// </summary>
    public void Write(Action<SqliteConnection, SqliteTransaction> write)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        write(connection, transaction);
        transaction.Commit();
    }

    /// <summary>The rows of a query, each made by <paramref name="read"/>.</summary>
    public List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, params (string Name, object? Value)[] parameters)
    {
        using var connection = Open();
        return Query(connection, null, sql, read, parameters);
    }

    /// <summary>The rows of a query on <paramref name="connection"/>, each made by <paramref name="read"/>.</summary>
    public static List<T> Query<T>(
        SqliteConnection connection, SqliteTransaction? transaction, string sql, Func<SqliteDataReader, T> read, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        command.Transaction = transaction;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>How instants are stored: round-trip ISO 8601 text.</summary>
    public static string Timestamp(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>An instant stored by <see cref="Timestamp"/>.</summary>
    public static DateTimeOffset ReadTimestamp(SqliteDataReader reader, int ordinal) =>
        DateTimeOffset.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    /// <summary>A text column that may be NULL.</summary>
    public static string? ReadText(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static SqliteCommand Command(SqliteConnection connection, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
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
            Execute(connection, "PRAGMA journal_mode = WAL;");
            Execute(connection, $"PRAGMA synchronous = FULL; PRAGMA busy_timeout = {BusyTimeoutMilliseconds};");
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                using (var command = connection.CreateCommand())
                {
                    command.Transaction = transaction;
                    command.CommandText = _schema;
                    command.ExecuteNonQuery();
                }

                _migrate?.Invoke(connection, transaction);
                transaction.Commit();
            }

            _initialized = true;
        }
    }
}
