using StackExchange.Redis;

namespace Proxy.Traffic.State.Redis;

/// <summary>
/// Where state lives in Redis. The prefix is a hash tag (<c>{proxy}</c>) so that every key of one fleet maps to one
/// cluster slot and the commit script may touch them together:
/// <c>{p}:settings</c> (hash: <c>kind:id</c> → the setting), <c>{p}:revisions</c> (hash: <c>kind:id</c> → its revision, for the
/// compare-and-set), <c>{p}:setting-history:{kind}:{id}</c> (sorted set of audit entries scored by revision),
/// <c>{p}:generation</c> (identifies the state: written with the first commit and every rebuild), channel <c>{p}:changes</c>;
/// <c>{p}:instances</c> (set of instance names) and <c>{p}:instance:{name}</c> (each one's report, expiring);
/// <c>{p}:rollout-lease:{route}</c> (the leader's name, expiring), <c>{p}:rollout-commands:{route}</c> (list of commands
/// relayed to the leader), <c>{p}:rollout-reply:{id}</c> (its answer, expiring);
/// <c>{p}:metrics:{cluster}:{period}</c> (hash: instance → that instance's metric counts for one wall-clock second, expiring);
/// <c>{p}:experiment-users:{route/name/declaration}:…</c> (HyperLogLogs of an experiment's exposed and converted users).
/// Main before issue 16 kept a layout per kind (<c>{p}:routes</c>, <c>{p}:split:…</c>, <c>{p}:history:…</c>, <c>{p}:mirrors</c>,
/// <c>{p}:mirror-history:…</c>, <c>{p}:isolations</c>, <c>{p}:isolation-history:…</c>, <c>{p}:rollouts</c>): read once by
/// <see cref="RedisLegacyImport"/>.
/// </summary>
internal sealed class RedisStateKeys(string prefix)
{
    private readonly string _prefix = "{" + prefix + "}";

    public RedisKey Settings => _prefix + ":settings";

    public RedisKey Revisions => _prefix + ":revisions";

    // Ids compare case-insensitively, as in the SQLite schema.
    public static string Field(SettingKey key) => $"{key.Kind}:{key.Id.ToLowerInvariant()}";

    public RedisKey SettingHistory(SettingKey key) => $"{_prefix}:setting-history:{Field(key)}";

    public RedisKey Generation => _prefix + ":generation";

    public RedisKey Instances => _prefix + ":instances";

    public RedisKey Instance(string name) => $"{_prefix}:instance:{name}";

    public RedisChannel Changes => RedisChannel.Literal(_prefix + ":changes");

    // Cluster ids compare case-insensitively, as in the metric windows.
    public RedisKey Metrics(string clusterId, long period) => $"{_prefix}:metrics:{clusterId.ToLowerInvariant()}:{period}";

    public string ExperimentUsers(string experimentId) => $"{_prefix}:experiment-users:{experimentId}";

    public RedisKey RolloutLease(string routeId) => $"{_prefix}:rollout-lease:{routeId.ToLowerInvariant()}";

    public RedisKey RolloutCommands(string routeId) => $"{_prefix}:rollout-commands:{routeId.ToLowerInvariant()}";

    public RedisKey RolloutReply(string commandId) => $"{_prefix}:rollout-reply:{commandId}";

    /// <summary>Main's keys before issue 16, for the migration.</summary>
    public string LegacyPrefix => _prefix;
}
