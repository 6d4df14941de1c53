using System.Text.Json;
using System.Text.Json.Serialization;
using Proxy.Traffic.State.Redis;
using StackExchange.Redis;

namespace Proxy.Traffic.Rollouts.Coordination;

/// <summary>
/// Rollout leadership through the fleet's Redis: one expiring lease per route (<c>SET … PX</c>, renewed by its holder on
/// every tick), and a list per route through which other instances hand operator commands to the leader, with the
/// leader's reply left under the command's id for a minute.
/// </summary>
public sealed class RedisRolloutCoordination(RedisStateConnection connection, RedisStateOptions options, TimeProvider timeProvider) : IRolloutCoordination
{
    private static readonly TimeSpan ReplyLifetime = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ReplyPollInterval = TimeSpan.FromMilliseconds(25);
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public bool IsShared => true;

    public string Instance => connection.InstanceName;

    public async Task<bool> TryLeadAsync(string routeId, CancellationToken cancellationToken)
    {
        var held = await connection.CallAsync(db => db.ScriptEvaluateAsync(
            RedisRolloutScripts.Lead,
            [connection.Keys.RolloutLease(routeId)],
            [Instance, (long)options.RolloutLeaseDuration.TotalMilliseconds])).ConfigureAwait(false);
        return (int)held == 1;
    }

    public Task ReleaseAsync(string routeId, CancellationToken cancellationToken) =>
        connection.CallAsync(db => db.ScriptEvaluateAsync(RedisRolloutScripts.Release, [connection.Keys.RolloutLease(routeId)], [Instance]));

    public async Task<RolloutCommandReply?> RelayAsync(string routeId, RolloutCommand command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var commands = connection.Keys.RolloutCommands(routeId);
        var json = JsonSerializer.Serialize(command, JsonOptions);
        await connection.CallAsync(async db =>
        {
            await db.ListRightPushAsync(commands, json).ConfigureAwait(false);
            await db.KeyExpireAsync(commands, ReplyLifetime).ConfigureAwait(false);
        }).ConfigureAwait(false);

        var reply = connection.Keys.RolloutReply(command.Id);
        var deadline = timeProvider.GetTimestamp() + (long)(timeout.TotalSeconds * timeProvider.TimestampFrequency);
        while (timeProvider.GetTimestamp() < deadline)
        {
            await Task.Delay(ReplyPollInterval, timeProvider, cancellationToken).ConfigureAwait(false);
            var answer = await connection.CallAsync(db => db.StringGetAsync(reply)).ConfigureAwait(false);
            if (!answer.IsNull)
            {
                return JsonSerializer.Deserialize<RolloutCommandReply>(answer.ToString(), JsonOptions);
            }
        }

        // Not taken yet: withdraw it, so that a leader that comes later does not apply a command nobody waits for.
        await connection.CallAsync(db => db.ListRemoveAsync(commands, json)).ConfigureAwait(false);
        return null;
    }

    public async Task<IReadOnlyList<RolloutCommand>> TakeRelayedAsync(string routeId, CancellationToken cancellationToken)
    {
        var taken = await connection.CallAsync(db => db.ScriptEvaluateAsync(RedisRolloutScripts.Take, [connection.Keys.RolloutCommands(routeId)])).ConfigureAwait(false);
        return [.. ((RedisValue[])taken!).Select(c => JsonSerializer.Deserialize<RolloutCommand>(c.ToString(), JsonOptions)!)];
    }

    public Task ReplyAsync(RolloutCommand command, RolloutCommandReply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return connection.CallAsync(db => db.StringSetAsync(connection.Keys.RolloutReply(command.Id), JsonSerializer.Serialize(reply, JsonOptions), ReplyLifetime));
    }
}
