using System.Text.Json;

namespace Proxy.Traffic.State;

/// <summary>
/// Runtime settings by id (case-insensitive) as JSON in the gateway's SQLite state file, each write committed with its audit
/// entry in one transaction: tables <c>{kind}_settings</c> and <c>{kind}_history</c>. Feature flags and experiments are
/// kept this way until they move onto the shared runtime-state model.
/// </summary>
internal sealed class SqliteAuditedSettings<TValue, TChange>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SqliteStateDatabase _database;
    private readonly string _settings;
    private readonly string _history;

    /// <param name="path">The state file.</param>
    /// <param name="kind">A lower-case identifier naming the tables ("flag", "experiment").</param>
    public SqliteAuditedSettings(string path, string kind)
    {
        if (!kind.All(c => char.IsAsciiLetterLower(c) || c == '_'))
        {
            throw new ArgumentException("A lower-case identifier is required.", nameof(kind));
        }

        _settings = kind + "_settings";
        _history = kind + "_history";
        _database = new SqliteStateDatabase(path, $"""
            CREATE TABLE IF NOT EXISTS {_settings} (
                id      TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
                setting TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS {_history} (
                seq   INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
                id    TEXT    NOT NULL COLLATE NOCASE,
                entry TEXT    NOT NULL);
            CREATE INDEX IF NOT EXISTS {_history}_id ON {_history} (id, seq);
            """);
    }

    public Task<IReadOnlyList<TValue>> LoadAsync() =>
        Task.FromResult<IReadOnlyList<TValue>>(_database.Query($"SELECT setting FROM {_settings} ORDER BY id", r => JsonSerializer.Deserialize<TValue>(r.GetString(0), Json)!));

    public Task SetAsync(string id, TValue value, TChange change) => Commit(id, change, (connection, transaction) => SqliteStateDatabase.Execute(
        connection, transaction,
        $"INSERT INTO {_settings} (id, setting) VALUES ($id, $setting) ON CONFLICT (id) DO UPDATE SET setting = excluded.setting",
        ("$id", id), ("$setting", JsonSerializer.Serialize(value, Json))));

    public Task RemoveAsync(string id, TChange change) => Commit(id, change, (connection, transaction) => SqliteStateDatabase.Execute(
        connection, transaction, $"DELETE FROM {_settings} WHERE id = $id", ("$id", id)));

    public Task<IReadOnlyList<TChange>> GetHistoryAsync(string id, int limit) =>
        Task.FromResult<IReadOnlyList<TChange>>(_database.Query(
            $"SELECT entry FROM {_history} WHERE id = $id ORDER BY seq DESC LIMIT $limit",
            r => JsonSerializer.Deserialize<TChange>(r.GetString(0), Json)!,
            ("$id", id),
            ("$limit", limit)));

    private Task Commit(string id, TChange change, Action<Microsoft.Data.Sqlite.SqliteConnection, Microsoft.Data.Sqlite.SqliteTransaction> setting)
    {
        _database.Write((connection, transaction) =>
        {
            setting(connection, transaction);
            SqliteStateDatabase.Execute(connection, transaction, $"INSERT INTO {_history} (id, entry) VALUES ($id, $entry)",
                ("$id", id), ("$entry", JsonSerializer.Serialize(change, Json)));
        });
        return Task.CompletedTask;
    }
}
