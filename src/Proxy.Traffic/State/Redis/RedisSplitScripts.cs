namespace Proxy.Traffic.State.Redis;

/// <summary>
/// The Lua scripts that make a commit atomic: Redis runs a script to the end before any other command, so checking every
/// revision and writing every route, audit entry and notification happen as one step — a compare-and-set across routes.
/// </summary>
internal static class RedisSplitScripts
{
    /// <summary>
    /// KEYS: routes set, then per commit its split hash and history key, then the generation key. ARGV: channel, message,
    /// then per commit route id, revision, current, configured, entry ('' for null), then a new generation, set when the
    /// state has none yet. Returns 0, or the 1-based index of the first commit whose revision does not follow the
    /// persisted one (nothing written).
    /// </summary>
    public const string Commit = """
        local n = (#KEYS - 2) / 2
        local pending = {}
        for i = 1, n do
          local key = KEYS[2 * i]
          local revision = tonumber(ARGV[2 + (i - 1) * 5 + 2])
          local persisted = pending[key] or tonumber(redis.call('HGET', key, 'revision') or '0')
          if revision ~= persisted + 1 then
            return i
          end
          pending[key] = revision
        end
        for i = 1, n do
          local a = 2 + (i - 1) * 5
          redis.call('HSET', KEYS[2 * i], 'route', ARGV[a + 1], 'revision', ARGV[a + 2], 'current', ARGV[a + 3], 'configured', ARGV[a + 4])
          redis.call('ZADD', KEYS[2 * i + 1], ARGV[a + 2], ARGV[a + 5])
          redis.call('SADD', KEYS[1], KEYS[2 * i])
        end
        redis.call('SET', KEYS[#KEYS], ARGV[#ARGV], 'NX')
        redis.call('PUBLISH', ARGV[1], ARGV[2])
        return 0
        """;

    /// <summary>
    /// KEYS: routes set, generation key. Returns the generation ('' for none), then route, revision, current, configured
    /// for every route, flattened: one consistent read.
    /// </summary>
    public const string Load = """
        local result = { redis.call('GET', KEYS[2]) or '' }
        for _, key in ipairs(redis.call('SMEMBERS', KEYS[1])) do
          local fields = redis.call('HMGET', key, 'route', 'revision', 'current', 'configured')
          for j = 1, 4 do
            table.insert(result, fields[j] or '')
          end
        end
        return result
        """;

    /// <summary>
    /// KEYS: routes set, generation key, then per route its split hash. ARGV: channel, message, new generation, then per
    /// route id, revision, current, configured ('' for null). Writes only when there is no generation (the state is gone):
    /// returns 1 when it wrote, 0 when another instance rebuilt or recreated the state first.
    /// </summary>
    public const string Rebuild = """
        if redis.call('EXISTS', KEYS[2]) == 1 then
          return 0
        end
        for i = 3, #KEYS do
          local a = 3 + (i - 3) * 4
          redis.call('HSET', KEYS[i], 'route', ARGV[a + 1], 'revision', ARGV[a + 2], 'current', ARGV[a + 3], 'configured', ARGV[a + 4])
          redis.call('SADD', KEYS[1], KEYS[i])
        end
        redis.call('SET', KEYS[2], ARGV[3])
        redis.call('PUBLISH', ARGV[1], ARGV[2])
        return 1
        """;
}
