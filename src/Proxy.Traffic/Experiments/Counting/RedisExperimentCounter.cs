using System.Security.Cryptography;
using System.Text;
using Proxy.Traffic.State;
using Proxy.Traffic.State.Redis;
using StackExchange.Redis;

namespace Proxy.Traffic.Experiments.Counting;

/// <summary>
/// Counts an experiment's users across the fleet in Redis HyperLogLogs (PFADD / PFCOUNT, one per arm for exposures and one
/// per goal and arm for conversions): about 12 KB per key whatever the number of users, with a standard error of
/// 1.04/√16384 ≈ 0.81 %. This instance's <see cref="ExactExperimentCounter"/> sends each user on once (not every request)
/// and remembers the arm of the users it exposed; a conversion of a user another instance exposed is credited to the arm the
/// assignment gives that user. Sends are fire-and-forget: a Redis outage loses those counts, never a request.
/// </summary>
public sealed class RedisExperimentCounter : IExperimentCounter
{
    /// <summary>The relative standard error of a Redis HyperLogLog count (16,384 registers).</summary>
    public const double StandardError = 0.0081;

    private readonly RedisStateConnection _connection;
    private readonly ExactExperimentCounter _local;
    private readonly RedisKey[] _exposed;
    private readonly RedisKey[][] _converted;

    public RedisExperimentCounter(RedisStateConnection connection, ExperimentDefinition definition)
    {
        _connection = connection;
        _local = new ExactExperimentCounter(definition.Arms.Count, definition.Goals.Count, definition.Settings.MaxUsers);

        // A changed declaration counts afresh: its fingerprint is in the keys.
        var id = $"{definition.RouteId.ToLowerInvariant()}/{definition.Name}/{System.Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(definition.Fingerprint)), 0, 6)}";
        var prefix = connection.Keys.ExperimentUsers(id);
        _exposed = [.. definition.Arms.Select((_, arm) => (RedisKey)$"{prefix}:exposed:{arm}")];
        _converted = [.. definition.Goals.Select((_, goal) => definition.Arms.Select((_, arm) => (RedisKey)$"{prefix}:goal:{goal}:{arm}").ToArray())];
    }

    public bool NeedsAssignedArm => true;

    public void Expose(ulong user, int arm)
    {
        // New here, or past this instance's limit (then Redis, which dedupes, hears of every request).
        if (_local.TryExpose(user, arm) || _local.ArmOf(user) < 0)
        {
            _ = SendAsync(_exposed[arm], user);
        }
    }

    public void Convert(ulong user, int goal, int assignedArm)
    {
        var arm = _local.ArmOf(user) is var exposed and >= 0 ? exposed : assignedArm;
        if (arm >= 0 && (_local.TryConvert(user, goal, arm) || _local.ArmOf(user) < 0))
        {
            _ = SendAsync(_converted[goal][arm], user);
        }
    }

    public async Task<ExperimentCounts> ReadAsync(CancellationToken cancellationToken)
    {
        var exposed = await CountAsync(_exposed).ConfigureAwait(false);
        var converted = new long[_converted.Length][];
        for (var goal = 0; goal < _converted.Length; goal++)
        {
            converted[goal] = await CountAsync(_converted[goal]).ConfigureAwait(false);
        }

        return new ExperimentCounts(exposed, converted, "redis-hyperloglog", StandardError, false);
    }

    private Task<long[]> CountAsync(RedisKey[] keys) =>
        _connection.CallAsync(async db => await Task.WhenAll(keys.Select(k => db.HyperLogLogLengthAsync(k))).ConfigureAwait(false));

    private async Task SendAsync(RedisKey key, ulong user)
    {
        try
        {
            await _connection.CallAsync(db => db.HyperLogLogAddAsync(key, (RedisValue)BitConverter.GetBytes(user), CommandFlags.FireAndForget)).ConfigureAwait(false);
        }
        catch (StateUnavailableException)
        {
            // Counting is best effort: the request it came from is long answered.
        }
    }
}

/// <summary>Makes <see cref="RedisExperimentCounter"/>s on the fleet's Redis.</summary>
public sealed class RedisExperimentCounterFactory(RedisStateConnection connection) : IExperimentCounterFactory
{
    public IExperimentCounter Create(ExperimentDefinition definition) => new RedisExperimentCounter(connection, definition);
}
