using StackExchange.Redis;

namespace Proxy.Traffic.State.Redis;

/// <summary>
/// Where split state lives in Redis. The prefix is a hash tag (<c>{proxy}</c>) so that every key of one fleet maps to one
/// cluster slot and the commit script may touch them together:
/// <c>{p}:generation</c> (identifies the state: written with the first commit and every rebuild, see
/// <see cref="IRebuildableSplitStateRepository"/>), <c>{p}:routes</c> (set of route keys), <c>{p}:split:{route}</c> (hash: route, revision, current, configured),
/// <c>{p}:history:{route}</c> (sorted set of audit entries scored by revision), channel <c>{p}:changes</c>;
/// <c>{p}:instances</c> (set of instance names) and <c>{p}:instance:{name}</c> (each one's report, expiring);
/// <c>{p}:mirrors</c> (hash: route → runtime mirror setting) and <c>{p}:mirror-history:{route}</c> (list of audit entries, newest first);
/// <c>{p}:isolations</c> (hash: cluster → manual isolation) and <c>{p}:isolation-history:{cluster}</c> (list of audit entries, newest first);
/// <c>{p}:flags</c>, <c>{p}:experiments</c> (hashes: name → runtime setting) and <c>{p}:flag-history:{name}</c>, <c>{p}:experiment-history:{route/name}</c>;
/// <c>{p}:rollouts</c> (hash: route → latest rollout), <c>{p}:rollout-lease:{route}</c> (the leader's name, expiring),
/// <c>{p}:rollout-commands:{route}</c> (list of commands relayed to the leader), <c>{p}:rollout-reply:{id}</c> (its answer, expiring);
/// <c>{p}:metrics:{cluster}:{period}</c> (hash: instance → that instance's metric counts for one wall-clock second, expiring).
/// </summary>
internal sealed class RedisStateKeys(string prefix)
{
    private readonly string _prefix = "{" + prefix + "}";

    public RedisKey Routes => _prefix + ":routes";

    public RedisKey Generation => _prefix + ":generation";

    public RedisKey Instances => _prefix + ":instances";

    public RedisKey Instance(string name) => $"{_prefix}:instance:{name}";

    public RedisChannel Changes => RedisChannel.Literal(_prefix + ":changes");

    // Route ids compare case-insensitively, as in the SQLite schema.
    public RedisKey Split(string routeId) => $"{_prefix}:split:{routeId.ToLowerInvariant()}";

    // Cluster ids compare case-insensitively, as in the metric windows.
    public RedisKey Metrics(string clusterId, long period) => $"{_prefix}:metrics:{clusterId.ToLowerInvariant()}:{period}";

    public RedisKey History(string routeId) => $"{_prefix}:history:{routeId.ToLowerInvariant()}";

    public RedisKey Mirrors => _prefix + ":mirrors";

    public RedisKey MirrorHistory(string routeId) => $"{_prefix}:mirror-history:{routeId.ToLowerInvariant()}";

    public RedisKey Isolations => _prefix + ":isolations";

    public RedisKey IsolationHistory(string clusterId) => $"{_prefix}:isolation-history:{clusterId.ToLowerInvariant()}";

    // Feature flags ("flag") and experiments ("experiment"): {p}:{kind}s (hash: id → runtime setting), {p}:{kind}-history:{id}.
    public RedisKey Settings(string kind) => $"{_prefix}:{kind}s";

    public RedisKey SettingsHistory(string kind, string id) => $"{_prefix}:{kind}-history:{id.ToLowerInvariant()}";

    public RedisKey Rollouts => _prefix + ":rollouts";

    public RedisKey RolloutLease(string routeId) => $"{_prefix}:rollout-lease:{routeId.ToLowerInvariant()}";

    public RedisKey RolloutCommands(string routeId) => $"{_prefix}:rollout-commands:{routeId.ToLowerInvariant()}";

    public RedisKey RolloutReply(string commandId) => $"{_prefix}:rollout-reply:{commandId}";
}
