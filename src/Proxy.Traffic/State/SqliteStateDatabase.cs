using Microsoft.Data.Sqlite;

namespace Proxy.Traffic.State;

/// <summary>
/// The gateway's SQLite state file as the state repositories share it: WAL mode, full sync on every commit, a busy
/// timeout, and each repository's tables created on first use.
/// </summary>
public sealed class SqliteStateDatabase
{
    private const int BusyTimeoutMilliseconds = 5000;

    private readonly string _connectionString;
    private readonly string _schema;
    private readonly Lock _initialization = new();
    private volatile bool _initialized;

    /// <summary>Uses (and creates when missing) the file at <paramref name="path"/>; <paramref name="schema"/> must be idempotent (CREATE … IF NOT EXISTS).</summary>
    public SqliteStateDatabase(string path, string schema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _schema = schema;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>An open connection with the durability settings applied; the schema exists.</summary>
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

    private void Initialize()
    {
        lock (_initialization)
        {
            if (_initialized)
            {
                return;
            }

            if (System.IO.Path.GetDirectoryName(Path) is { Length: > 0 } directory)
            {
                Directory.CreateDirectory(directory);
            }

            using var connection = new SqliteConnection(_connectionString);
            connection.Open();

            // WAL is a property of the file: once set, it stays.
            Execute(connection, $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA journal_mode = WAL;");
            Execute(connection, _schema);
            _initialized = true;
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
