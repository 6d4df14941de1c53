using Microsoft.Data.Sqlite;

namespace Proxy.Traffic.State;

/// <summary>
/// The gateway's SQLite state file as each repository opens it: created when missing, in WAL mode, full sync on every
/// commit and a busy timeout, with the repository's own tables created on first use. Split and rollout state share the file.
/// </summary>
internal sealed class SqliteStateDatabase
{
    private const int BusyTimeoutMilliseconds = 5000;

    private readonly string _connectionString;
    private readonly string _schema;
    private readonly Lock _initialization = new();
    private volatile bool _initialized;

    /// <summary>The file at <paramref name="path"/>; <paramref name="schema"/> creates the caller's tables if they do not exist.</summary>
    public SqliteStateDatabase(string path, string schema)
    {
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
            Execute(connection, "PRAGMA journal_mode = WAL;" + _schema);
            _initialized = true;
        }
    }
}
