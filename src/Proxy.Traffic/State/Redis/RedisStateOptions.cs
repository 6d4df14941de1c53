namespace Proxy.Traffic.State.Redis;

/// <summary>The <c>State:Redis</c> section: the Redis that several gateway instances share.</summary>
public sealed class RedisStateOptions
{
    /// <summary>A StackExchange.Redis connection string, e.g. <c>redis:6379,password=…,ssl=true</c>.</summary>
    public string Configuration { get; set; } = "127.0.0.1:6379";

    /// <summary>Prefixes every key and the change channel, so several gateway fleets can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "proxy";

    /// <summary>How often each instance re-reads the state even without a notification (missed messages, reconnects).</summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the leader of a rollout holds its lease without renewing it (it renews on every tick, 100 ms): when the
    /// leader dies, another instance takes the rollout over within this time.
    /// </summary>
    public TimeSpan RolloutLeaseDuration { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>This instance's name in the fleet; the machine name and process id when empty.</summary>
    public string? InstanceName { get; set; }
}
