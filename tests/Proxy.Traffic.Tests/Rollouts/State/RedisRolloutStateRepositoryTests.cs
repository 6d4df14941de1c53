using Proxy.Traffic.Rollouts.Coordination;
using Proxy.Traffic.Rollouts.State;
using Proxy.Traffic.State.Redis;
using Proxy.Traffic.Tests.State.Redis;

namespace Proxy.Traffic.Tests.Rollouts.State;

/// <summary>The rollout repository contract against a real redis-server, plus the lease fencing of saves.</summary>
public sealed class RedisRolloutStateRepositoryTests(RedisServer server) : RolloutStateRepositoryContract, IClassFixture<RedisServer>, IDisposable
{
    private readonly RedisConnections _connections = new();
    private readonly Dictionary<IRolloutStateRepository, string> _prefixes = [];

    protected override IRolloutStateRepository Create() => Open("fleet-" + Guid.NewGuid().ToString("N"), "gw-a");

    protected override IRolloutStateRepository Reopen(IRolloutStateRepository repository) => Open(_prefixes[repository], "gw-a");

    [Fact]
    public async Task A_save_is_refused_while_another_instance_holds_the_routes_lease()
    {
        var prefix = "fleet-" + Guid.NewGuid().ToString("N");
        var leader = Open(prefix, "gw-a");
        var follower = Open(prefix, "gw-b");
        await Coordination(prefix, "gw-a").TryLeadAsync("shop", default);

        await leader.SaveAsync(Rollout("shop", 1, 0), default);
        await Assert.ThrowsAsync<RolloutLeaseLostException>(() => follower.SaveAsync(Rollout("shop", 1, 1), default));

        Assert.Equal(0, Assert.Single(await follower.LoadAsync(default)).Step);
    }

    [Fact]
    public async Task Another_instance_sees_each_save()
    {
        var prefix = "fleet-" + Guid.NewGuid().ToString("N");
        var leader = Open(prefix, "gw-a");
        var follower = Open(prefix, "gw-b");

        await leader.SaveAsync(Rollout("shop", 1, 0), default);
        Assert.Equal(0, Assert.Single(await follower.LoadAsync(default)).Step);
        await leader.SaveAsync(Rollout("shop", 1, 1), default);
        Assert.Equal(1, Assert.Single(await follower.LoadAsync(default)).Step);
    }

    public void Dispose() => _connections.Dispose();

    private RedisRolloutCoordination Coordination(string prefix, string instance)
    {
        var options = Options(prefix, instance);
        return new RedisRolloutCoordination(Connect(options), options, TimeProvider.System);
    }

    private RedisRolloutStateRepository Open(string prefix, string instance)
    {
        var repository = new RedisRolloutStateRepository(Connect(Options(prefix, instance)));
        _prefixes[repository] = prefix;
        return repository;
    }

    private RedisStateConnection Connect(RedisStateOptions options)
    {
        var connection = _connections.Open(options);
        return connection;
    }

    private RedisStateOptions Options(string prefix, string instance) =>
        new() { Configuration = server.Configuration, KeyPrefix = prefix, InstanceName = instance, RolloutLeaseDuration = TimeSpan.FromSeconds(30) };
}
