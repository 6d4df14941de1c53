namespace Proxy.Traffic.State.Redis;

/// <summary>
/// The Lua scripts that make a commit atomic: Redis runs a script to the end before any other command, so checking every
/// revision and writing every route, audit entry and notification happen as one step — a compare-and-set across routes.
/// </summary>
internal static class RedisSplitScripts
{
    /// <summary>
    /// KEYS: routes set, then per commit its split hash and history key. ARGV: channel, message, then per commit
    /// route id, revision, current, configured, entry ('' for null). Returns 0, or the 1-based index of the first commit
    /// whose revision does not follow the persisted one (nothing written).
    /// </summary>
    public const string Commit = """
        local n = (#KEYS - 1) / 2
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
        redis.call('PUBLISH', ARGV[1], ARGV[2])
        return 0
        """;

    /// <summary>KEYS: routes set. Returns route, revision, current, configured for every route, flattened: one consistent read.</summary>
    public const string Load = """
        local result = {}
        for _, key in ipairs(redis.call('SMEMBERS', KEYS[1])) do
          local fields = redis.call('HMGET', key, 'route', 'revision', 'current', 'configured')
          for j = 1, 4 do
            table.insert(result, fields[j] or '')
          end
        end
        return result
        """;
}
