namespace Proxy.Traffic.State.Redis;

/// <summary>
/// The Lua scripts that make state changes atomic: Redis runs a script to the end before any other command, so checking
/// every revision and writing every setting, audit entry and announcement happen as one step.
/// </summary>
internal static class RedisStateScripts
{
    /// <summary>
    /// KEYS: revisions hash, settings hash, generation, then one history key per commit. ARGV: channel, message, new
    /// generation, then per commit field, revision, setting document, audit entry. Returns 0, or the 1-based index of the
    /// first commit whose revision does not follow the persisted one (nothing written).
    /// </summary>
    public const string Commit = """
        local n = #KEYS - 3
        local pending = {}
        for i = 1, n do
          local field = ARGV[4 + (i - 1) * 4]
          local revision = tonumber(ARGV[5 + (i - 1) * 4])
          local persisted = pending[field] or tonumber(redis.call('HGET', KEYS[1], field) or '0')
          if revision ~= persisted + 1 then
            return i
          end
          pending[field] = revision
        end
        for i = 1, n do
          local a = 4 + (i - 1) * 4
          redis.call('HSET', KEYS[1], ARGV[a], ARGV[a + 1])
          redis.call('HSET', KEYS[2], ARGV[a], ARGV[a + 2])
          redis.call('ZADD', KEYS[3 + i], ARGV[a + 1], ARGV[a + 3])
        end
        redis.call('SET', KEYS[3], ARGV[3], 'NX')
        redis.call('PUBLISH', ARGV[1], ARGV[2])
        return 0
        """;

    /// <summary>KEYS: revisions hash, settings hash, generation. Returns the generation ('' for none), then every setting document: one consistent read.</summary>
    public const string Load = """
        local result = { redis.call('GET', KEYS[3]) or '' }
        for _, document in ipairs(redis.call('HVALS', KEYS[2])) do
          table.insert(result, document)
        end
        return result
        """;

    /// <summary>
    /// KEYS: revisions hash, settings hash, generation, then history keys. ARGV: channel, message, new generation ('' to
    /// keep none), then per setting field, revision, document, then per history key its entries as revision, entry pairs
    /// preceded by their count. Writes only when the state holds no setting and no generation (it is gone, or was never
    /// written in this layout): 1 when it wrote, 0 when another instance was first.
    /// </summary>
    public const string Rebuild = """
        if redis.call('EXISTS', KEYS[1]) == 1 or (ARGV[3] ~= '' and redis.call('EXISTS', KEYS[3]) == 1) then
          return 0
        end
        local a = 5
        for i = 1, tonumber(ARGV[4]) do
          redis.call('HSET', KEYS[1], ARGV[a], ARGV[a + 1])
          redis.call('HSET', KEYS[2], ARGV[a], ARGV[a + 2])
          a = a + 3
        end
        for k = 4, #KEYS do
          local count = tonumber(ARGV[a])
          a = a + 1
          for j = 1, count do
            redis.call('ZADD', KEYS[k], ARGV[a], ARGV[a + 1])
            a = a + 2
          end
        end
        if ARGV[3] ~= '' then
          redis.call('SET', KEYS[3], ARGV[3])
        end
        redis.call('PUBLISH', ARGV[1], ARGV[2])
        return 1
        """;
}
