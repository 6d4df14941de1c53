using Proxy.Traffic.Rollouts.Coordination;
using Proxy.Traffic.State.Redis;
using StackExchange.Redis;

namespace Proxy.Traffic.Rollouts.State;

/// <summary>
/// Keeps each route's latest rollout in the fleet's Redis (one hash, route → state), so that every instance shows it and
/// the instance that takes over a rollout continues it at its step. A save is refused while another instance holds the
/// route's rollout lease (<see cref="RolloutLeaseLostException"/>).
/// </summary>
public sealed class RedisRolloutStateRepository(RedisStateConnection connection) : IRolloutStateRepository
{
    // The state of each route as last read: a rollout whose stored text did not change is not parsed again (every tick reads all).
    private readonly Dictionary<string, (string Json, RolloutState State)> _parsed = new(StringComparer.OrdinalIgnoreCase);

    public async Task<IReadOnlyList<RolloutState>> LoadAsync(CancellationToken cancellationToken)
    {
        var entries = await connection.CallAsync(db => db.HashGetAllAsync(connection.Keys.Rollouts)).ConfigureAwait(false);
        var rollouts = new List<RolloutState>(entries.Length);
        lock (_parsed)
        {
            foreach (var entry in entries)
            {
                var route = entry.Name.ToString();
                var json = entry.Value.ToString();
                if (!_parsed.TryGetValue(route, out var cached) || !string.Equals(cached.Json, json, StringComparison.Ordinal))
                {
                    cached = (json, RolloutStateJson.Read(json));
                    _parsed[route] = cached;
                }

                rollouts.Add(cached.State);
            }
        }

        return rollouts;
    }

    public async Task SaveAsync(RolloutState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var saved = await connection.CallAsync(db => db.ScriptEvaluateAsync(
            RedisRolloutScripts.Save,
            [connection.Keys.Rollouts, connection.Keys.RolloutLease(state.RouteId)],
            [state.RouteId.ToLowerInvariant(), connection.InstanceName, RolloutStateJson.Write(state)])).ConfigureAwait(false);
        if ((int)saved != 1)
        {
            throw new RolloutLeaseLostException(state.RouteId, connection.InstanceName);
        }
    }
}
