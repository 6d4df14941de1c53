using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace Proxy.Traffic.State.Redis;

/// <summary>
/// Keeps split state in a Redis that several gateway instances share. A commit is one Lua script: it checks every
/// revision (compare-and-set), writes routes and audit entries, and publishes a notification, all or nothing. When Redis
/// cannot be reached every call fails at once with <see cref="SplitStateUnavailableException"/> (no queueing), so the
/// admin API can answer 503 while the data plane keeps its last applied split.
/// </summary>
/// <remarks>
/// Durability is Redis's: run it with <c>appendonly yes</c> and <c>appendfsync always</c> for the guarantee SQLite gives.
/// A Redis that comes back empty is rebuilt by the instances from the splits they hold (<see cref="IRebuildableSplitStateRepository"/>).
/// </remarks>
public sealed class RedisSplitStateRepository(RedisStateConnection connection)
    : ISplitStateRepository, IRebuildableSplitStateRepository, ISplitStateChangeFeed, IInstanceReportStore
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private readonly RedisStateKeys _keys = connection.Keys;

    public string InstanceName => connection.InstanceName;

    public bool IsConnected => connection.IsConnected;
    public async Task<IReadOnlyList<RouteSplitRecord>> LoadAsync(CancellationToken cancellationToken) =>
        (await LoadGenerationAsync(cancellationToken).ConfigureAwait(false)).Routes;

    public async Task<PersistedSplitState> LoadGenerationAsync(CancellationToken cancellationToken)
    {
        var result = await connection.CallAsync(db => db.ScriptEvaluateAsync(RedisSplitScripts.Load, [_keys.Routes, _keys.Generation])).ConfigureAwait(false);
        var fields = (RedisValue[])result!;
        var records = new List<RouteSplitRecord>(fields.Length / 4);
        for (var i = 1; i < fields.Length; i += 4)
        {
            records.Add(new RouteSplitRecord(
                fields[i].ToString(),
                long.Parse(fields[i + 1].ToString(), CultureInfo.InvariantCulture),
                ReadState(fields[i + 2]),
                ReadState(fields[i + 3])));
        }

        return new PersistedSplitState(fields[0].IsNullOrEmpty ? null : fields[0].ToString(), records);
    }

    public async Task<string?> GetGenerationAsync(CancellationToken cancellationToken) =>
        await connection.CallAsync(db => db.StringGetAsync(_keys.Generation)).ConfigureAwait(false) is { IsNull: false } generation ? generation.ToString() : null;

    public async Task<bool> RebuildAsync(IReadOnlyList<RouteSplitRecord> routes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var keys = new List<RedisKey>(2 + routes.Count) { _keys.Routes, _keys.Generation };
        var values = new List<RedisValue>(3 + routes.Count * 4) { _keys.Changes.ToString(), "rebuilt by " + InstanceName, NewGeneration() };
        foreach (var route in routes)
        {
            keys.Add(_keys.Split(route.RouteId));
            values.Add(route.RouteId);
            values.Add(route.Revision);
            values.Add(SplitStateJson.Write(route.Current) ?? string.Empty);
            values.Add(SplitStateJson.Write(route.Configured) ?? string.Empty);
        }

        return (int)await connection.CallAsync(db => db.ScriptEvaluateAsync(RedisSplitScripts.Rebuild, [.. keys], [.. values])).ConfigureAwait(false) == 1;
    }

    public async Task CommitAsync(IReadOnlyList<SplitCommit> commits, CancellationToken cancellationToken)
    {
        var keys = new List<RedisKey>(1 + commits.Count * 2) { _keys.Routes };
        var message = string.Join(',', commits.Select(c => $"{c.Route.RouteId}={c.Route.Revision}")) + " by " + InstanceName;
        var values = new List<RedisValue>(2 + commits.Count * 5) { _keys.Changes.ToString(), message };
        foreach (var (route, entry) in commits)
        {
            keys.Add(_keys.Split(route.RouteId));
            keys.Add(_keys.History(route.RouteId));
            values.Add(route.RouteId);
            values.Add(route.Revision);
            values.Add(SplitStateJson.Write(route.Current) ?? string.Empty);
            values.Add(SplitStateJson.Write(route.Configured) ?? string.Empty);
            values.Add(SplitRevisionJson.Write(entry));
        }

        keys.Add(_keys.Generation);
        values.Add(NewGeneration());

        var conflict = (int)await connection.CallAsync(db => db.ScriptEvaluateAsync(RedisSplitScripts.Commit, [.. keys], [.. values])).ConfigureAwait(false);
        if (conflict > 0)
        {
            var route = commits[conflict - 1].Route;
            throw SplitRevisionConflictException.For(route.RouteId, route.Revision);
        }
    }

    public async Task<IReadOnlyList<SplitRevision>> GetHistoryAsync(string routeId, int limit, CancellationToken cancellationToken)
    {
        var members = await connection.CallAsync(db => db.SortedSetRangeByRankAsync(_keys.History(routeId), 0, limit - 1, Order.Descending)).ConfigureAwait(false);
        return [.. members.Select(m => SplitRevisionJson.Read(m.ToString()))];
    }

    public Task PingAsync(CancellationToken cancellationToken) => connection.CallAsync(db => db.PingAsync());

    public Task SubscribeAsync(Action changed, CancellationToken cancellationToken) => connection.SubscribeAsync(_keys.Changes, changed);

    public Task ReportAsync(InstanceReport report, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(report, JsonOptions);
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

        return [.. reports.Where(r => !r.IsNull).Select(r => JsonSerializer.Deserialize<InstanceReport>(r.ToString(), JsonOptions)!).OrderBy(r => r.Instance, StringComparer.Ordinal)];
    }

    private static string NewGeneration() => Guid.NewGuid().ToString("N");

    private static SplitState? ReadState(RedisValue value) => value.IsNullOrEmpty ? null : SplitStateJson.Read(value.ToString());
}
