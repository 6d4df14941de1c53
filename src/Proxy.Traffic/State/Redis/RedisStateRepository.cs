using StackExchange.Redis;

namespace Proxy.Traffic.State.Redis;

/// <summary>
/// Keeps every runtime setting in a Redis that several gateway instances share: a commit is one Lua script that checks
/// every revision, writes settings and audit entries and announces them, all or nothing. A key space written before
/// issue 16 is migrated by the first instance that loads it (<see cref="RedisLegacyImport"/>).
/// </summary>
/// <remarks>Durability is Redis's: run it with <c>appendonly yes</c> and <c>appendfsync always</c> for the guarantee SQLite gives.</remarks>
public sealed class RedisStateRepository(RedisStateConnection connection) : IStateRepository
{
    private readonly RedisStateKeys _keys = connection.Keys;
    private volatile bool _imported;

    public bool IsShared => true;

    public string InstanceName => connection.InstanceName;

    public bool IsConnected => connection.IsConnected;

    public async Task<PersistedState> LoadAsync(CancellationToken cancellationToken)
    {
        if (!_imported)
        {
            await new RedisLegacyImport(connection).RunAsync().ConfigureAwait(false);
            _imported = true;
        }

        var result = await connection.CallAsync(db => db.ScriptEvaluateAsync(RedisStateScripts.Load, [_keys.Revisions, _keys.Settings, _keys.Generation])).ConfigureAwait(false);
        var fields = (RedisValue[])result!;
        var settings = new List<StoredSetting>(fields.Length - 1);
        for (var i = 1; i < fields.Length; i++)
        {
            var document = StateJson.Read(fields[i].ToString(), StateJsonContext.Default.StoredSettingDocument);
            settings.Add(new StoredSetting(new SettingKey(document.Kind, document.Id), document.Revision, document.Value));
        }

        return new PersistedState(fields[0].IsNullOrEmpty ? null : fields[0].ToString(), settings);
    }

    public async Task CommitAsync(IReadOnlyList<SettingCommit> commits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commits);
        var keys = new List<RedisKey>(3 + commits.Count) { _keys.Revisions, _keys.Settings, _keys.Generation };
        var message = string.Join(',', commits.Select(c => $"{c.Setting.Key}={c.Setting.Revision}")) + " by " + InstanceName;
        var values = new List<RedisValue>(3 + commits.Count * 4) { _keys.Changes.ToString(), message, NewGeneration() };
        foreach (var (setting, change) in commits)
        {
            keys.Add(_keys.SettingHistory(setting.Key));
            values.Add(RedisStateKeys.Field(setting.Key));
            values.Add(setting.Revision);
            values.Add(Document(setting));
            values.Add(Document(change));
        }

        var conflict = (int)await connection.CallAsync(db => db.ScriptEvaluateAsync(RedisStateScripts.Commit, [.. keys], [.. values])).ConfigureAwait(false);
        if (conflict > 0)
        {
            var setting = commits[conflict - 1].Setting;
            throw StateConflictException.For(setting.Key, setting.Revision);
        }
    }

    public async Task<IReadOnlyList<SettingChange>> GetHistoryAsync(SettingKey key, int limit, CancellationToken cancellationToken)
    {
        var members = await connection.CallAsync(db => db.SortedSetRangeByRankAsync(_keys.SettingHistory(key), 0, limit - 1, Order.Descending)).ConfigureAwait(false);
        return [.. members.Select(m => Change(m.ToString()))];
    }

    public Task PingAsync(CancellationToken cancellationToken) => connection.CallAsync(db => db.PingAsync());

    public Task SubscribeAsync(Action changed, CancellationToken cancellationToken) => connection.SubscribeAsync(_keys.Changes, changed);

    public Task<bool> RebuildAsync(IReadOnlyList<StoredSetting> settings, CancellationToken cancellationToken) =>
        WriteWholeAsync(settings, [], NewGeneration(), "rebuilt by " + InstanceName);

    public Task ReportAsync(InstanceReport report, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var json = StateJson.Write(report, StateJsonContext.Default.InstanceReport);
        return connection.CallAsync(async db =>
        {
            await db.StringSetAsync(_keys.Instance(report.Instance), json, timeToLive).ConfigureAwait(false);
            await db.SetAddAsync(_keys.Instances, report.Instance).ConfigureAwait(false);
        });
    }

    public async Task<IReadOnlyList<InstanceReport>> GetReportsAsync(CancellationToken cancellationToken)
    {
        var names = await connection.CallAsync(db => db.SetMembersAsync(_keys.Instances)).ConfigureAwait(false);
        if (names.Length == 0)
        {
            return [];
        }

        var reports = await connection.CallAsync(db => db.StringGetAsync([.. names.Select(n => _keys.Instance(n.ToString()))])).ConfigureAwait(false);
        var expired = names.Where((_, i) => reports[i].IsNull).ToArray();
        if (expired.Length > 0)
        {
            await connection.CallAsync(db => db.SetRemoveAsync(_keys.Instances, expired)).ConfigureAwait(false);
        }

        return [.. reports.Where(r => !r.IsNull).Select(r => StateJson.Read(r.ToString(), StateJsonContext.Default.InstanceReport)).OrderBy(r => r.Instance, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Writes settings and audit entries as the whole state when the layout holds none: a rebuild (under a new generation,
    /// only when there is no generation either) or, with <paramref name="generation"/> empty, the import of main's layout.
    /// </summary>
    internal async Task<bool> WriteWholeAsync(IReadOnlyList<StoredSetting> settings, IReadOnlyList<SettingChange> history, string generation, string message)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var keys = new List<RedisKey> { _keys.Revisions, _keys.Settings, _keys.Generation };
        var values = new List<RedisValue> { _keys.Changes.ToString(), message, generation, settings.Count };
        foreach (var setting in settings)
        {
            values.Add(RedisStateKeys.Field(setting.Key));
            values.Add(setting.Revision);
            values.Add(Document(setting));
        }

        foreach (var entries in history.GroupBy(c => c.Key))
        {
            keys.Add(_keys.SettingHistory(entries.Key));
            values.Add(entries.Count());
            foreach (var change in entries)
            {
                values.Add(change.Revision);
                values.Add(Document(change));
            }
        }

        return (int)await connection.CallAsync(db => db.ScriptEvaluateAsync(RedisStateScripts.Rebuild, [.. keys], [.. values])).ConfigureAwait(false) == 1;
    }

    private static string NewGeneration() => Guid.NewGuid().ToString("N");

    private static string Document(StoredSetting setting) =>
        StateJson.Write(new StoredSettingDocument(setting.Key.Kind, setting.Key.Id, setting.Revision, setting.Value), StateJsonContext.Default.StoredSettingDocument);

    private static string Document(SettingChange c) => StateJson.Write(
        new SettingChangeDocument(c.Key.Kind, c.Key.Id, c.Revision, c.At, c.Actor, c.Action, c.Source, c.Before, c.After, c.Reason),
        StateJsonContext.Default.SettingChangeDocument);

    private static SettingChange Change(string json)
    {
        var d = StateJson.Read(json, StateJsonContext.Default.SettingChangeDocument);
        return new SettingChange(new SettingKey(d.Kind, d.Id), d.Revision, d.At, d.Actor, d.Action, d.Source, d.Before, d.After, d.Reason);
    }
}
