using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Rollouts.Coordination;
using Proxy.Traffic.State.Redis;
using Proxy.Traffic.Tests.State.Redis;

namespace Proxy.Traffic.Tests.Rollouts.Coordination;

/// <summary>Rollout leases and command relay on a real redis-server, each test under its own key prefix (its own fleet).</summary>
public sealed class RedisRolloutCoordinationTests(RedisServer server) : IClassFixture<RedisServer>, IDisposable
{
    private readonly string _prefix = "fleet-" + Guid.NewGuid().ToString("N");
    private readonly RedisConnections _connections = new();

    [Fact]
    public async Task One_instance_at_a_time_holds_a_routes_lease_and_renews_it()
    {
        var a = Instance("gw-a");
        var b = Instance("gw-b");

        Assert.True(await a.TryLeadAsync("shop", default));
        Assert.False(await b.TryLeadAsync("shop", default));
        Assert.True(await a.TryLeadAsync("shop", default));
        Assert.True(await b.TryLeadAsync("cart", default));
        Assert.False(await a.TryLeadAsync("CART", default));
    }

    [Fact]
    public async Task A_released_lease_is_free_at_once_and_only_its_holder_can_release_it()
    {
        var a = Instance("gw-a");
        var b = Instance("gw-b");
        Assert.True(await a.TryLeadAsync("shop", default));

        await b.ReleaseAsync("shop", default);
        Assert.False(await b.TryLeadAsync("shop", default));

        await a.ReleaseAsync("shop", default);
        Assert.True(await b.TryLeadAsync("shop", default));
    }

    [Fact]
    public async Task A_lease_its_holder_stops_renewing_expires_and_another_instance_takes_it()
    {
        var a = Instance("gw-a", lease: TimeSpan.FromMilliseconds(300));
        var b = Instance("gw-b", lease: TimeSpan.FromMilliseconds(300));
        Assert.True(await a.TryLeadAsync("shop", default));
        Assert.False(await b.TryLeadAsync("shop", default));

        // Redis expires the key on its own clock: poll until it does (bounded), which must be soon after 300 ms.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!await b.TryLeadAsync("shop", default))
        {
            Assert.True(DateTime.UtcNow < deadline, "the lease never expired");
            await Task.Delay(20);
        }

        Assert.False(await a.TryLeadAsync("shop", default));
    }

    [Fact]
    public async Task A_relayed_command_reaches_the_leader_once_and_its_reply_comes_back()
    {
        var leader = Instance("gw-a");
        var follower = Instance("gw-b");
        var command = RolloutCommand.Create(RolloutCommandKind.Pause, "alice");

        var relayed = follower.RelayAsync("shop", command, TimeSpan.FromSeconds(10), default);
        IReadOnlyList<RolloutCommand> taken = [];
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (taken.Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the command never reached the leader");
            taken = await leader.TakeRelayedAsync("shop", default);
        }

        Assert.Equal(command, Assert.Single(taken));
        Assert.Empty(await leader.TakeRelayedAsync("shop", default));
        await leader.ReplyAsync(command, new RolloutCommandReply(RolloutCommandOutcome.Conflict, "rollout 1 has ended"), default);

        Assert.Equal(new RolloutCommandReply(RolloutCommandOutcome.Conflict, "rollout 1 has ended"), await relayed.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_command_no_leader_takes_in_time_is_withdrawn()
    {
        var follower = Instance("gw-b");

        var reply = await follower.RelayAsync("shop", RolloutCommand.Create(RolloutCommandKind.Abort, "alice"), TimeSpan.FromMilliseconds(200), default);

        Assert.Null(reply);
        Assert.Empty(await Instance("gw-a").TakeRelayedAsync("shop", default));
    }

    public void Dispose() => _connections.Dispose();

    private RedisRolloutCoordination Instance(string name, TimeSpan? lease = null)
    {
        var options = new RedisStateOptions
        {
            Configuration = server.Configuration,
            KeyPrefix = _prefix,
            InstanceName = name,
            RolloutLeaseDuration = lease ?? TimeSpan.FromSeconds(30),
        };
        var connection = _connections.Open(options);
        return new RedisRolloutCoordination(connection, options, TimeProvider.System);
    }
}
