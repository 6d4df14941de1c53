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

    private readonly SqliteStateDatabase _database;

    /// <summary>Uses (and creates when missing) the database file at <paramref name="path"/>.</summary>
    public SqliteStateRepository(string path) => _database = new SqliteStateDatabase(path, Schema, Migration.SqliteLegacyImport.Run);

    /// <summary>The database file.</summary>
    public string DatabasePath => _database.DatabasePath;

    public bool IsShared => false;

    public string InstanceName => Environment.MachineName;

    public bool IsConnected => true;

    public Task<PersistedState> LoadAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new PersistedState(null, _database.Query(
            "SELECT kind, id, revision, value FROM settings ORDER BY kind, id",
            reader => new StoredSetting(new SettingKey(reader.GetString(0), reader.GetString(1)), reader.GetInt64(2), SqliteStateDatabase.ReadText(reader, 3)))));

    public Task CommitAsync(IReadOnlyList<SettingCommit> commits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commits);
        _database.Write((connection, transaction) =>
        {
            foreach (var (setting, change) in commits)
            {
                WriteSetting(connection, transaction, setting);
                WriteChange(connection, transaction, change);
            }
        });
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SettingChange>> GetHistoryAsync(SettingKey key, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SettingChange>>(_database.Query(
            """
            SELECT kind, id, revision, at, actor, action, source, before, after, reason
            FROM setting_history WHERE kind = $kind AND id = $id ORDER BY revision DESC LIMIT $limit
            """,
            reader => new SettingChange(
                new SettingKey(reader.GetString(0), reader.GetString(1)),
                reader.GetInt64(2),
                SqliteStateDatabase.ReadTimestamp(reader, 3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6),
                SqliteStateDatabase.ReadText(reader, 7),
                SqliteStateDatabase.ReadText(reader, 8),
                SqliteStateDatabase.ReadText(reader, 9)),
            ("$kind", key.Kind),
            ("$id", key.Id),
            ("$limit", limit)));

    public Task PingAsync(CancellationToken cancellationToken)
    {
        _database.Query("SELECT count(*) FROM settings", reader => reader.GetInt64(0));
        return Task.CompletedTask;
    }

    public Task SubscribeAsync(Action changed, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<bool> RebuildAsync(IReadOnlyList<StoredSetting> settings, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task ReportAsync(InstanceReport report, TimeSpan timeToLive, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<InstanceReport>> GetReportsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<InstanceReport>>([]);

    /// <summary>Writes a setting at its revision: an insert for revision 1, else an update of the revision before (compare-and-set).</summary>
    internal static void WriteSetting(SqliteConnection connection, SqliteTransaction transaction, StoredSetting setting)
    {
        var sql = setting.Revision == 1
            ? "INSERT INTO settings (kind, id, revision, value) VALUES ($kind, $id, $revision, $value)"
            : "UPDATE settings SET revision = $revision, value = $value WHERE kind = $kind AND id = $id AND revision = $revision - 1";
        var changed = Guarded(setting.Key, setting.Revision, () => SqliteStateDatabase.Execute(
            connection, transaction, sql, ("$kind", setting.Key.Kind), ("$id", setting.Key.Id), ("$revision", setting.Revision), ("$value", setting.Value)));
        if (changed != 1)
        {
            throw StateConflictException.For(setting.Key, setting.Revision);
        }
    }

    internal static void WriteChange(SqliteConnection connection, SqliteTransaction transaction, SettingChange change) =>
        Guarded(change.Key, change.Revision, () => SqliteStateDatabase.Execute(
            connection,
            transaction,
            """
            INSERT INTO setting_history (kind, id, revision, at, actor, action, source, before, after, reason)
            VALUES ($kind, $id, $revision, $at, $actor, $action, $source, $before, $after, $reason)
            """,
            ("$kind", change.Key.Kind),
            ("$id", change.Key.Id),
            ("$revision", change.Revision),
            ("$at", SqliteStateDatabase.Timestamp(change.At)),
            ("$actor", change.Actor),
            ("$action", change.Action),
            ("$source", change.Source),
            ("$before", change.Before),
            ("$after", change.After),
            ("$reason", change.Reason)));

    private static int Guarded(SettingKey key, long revision, Func<int> statement)
    {
        try
        {
            return statement();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint)
        {
            // A primary key already taken: another writer created this revision first.
            throw StateConflictException.For(key, revision, ex);
        }
    }
}
