namespace Proxy.Traffic.Rollouts.Coordination;

/// <summary>The Lua scripts of rollout coordination: each runs atomically in Redis.</summary>
internal static class RedisRolloutScripts
{
    /// <summary>KEYS: lease. ARGV: instance, duration (ms). Takes a free lease or renews this instance's; 1 when held.</summary>
    public const string Lead = """
        local holder = redis.call('GET', KEYS[1])
        if holder and holder ~= ARGV[1] then
          return 0
        end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return 1
        """;

    /// <summary>KEYS: lease. ARGV: instance. Deletes the lease when this instance holds it.</summary>
    public const string Release = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    /// <summary>KEYS: command list. Hands out every pending command once.</summary>
    public const string Take = """
        local commands = redis.call('LRANGE', KEYS[1], 0, -1)
        redis.call('DEL', KEYS[1])
        return commands
        """;
}
