using Proxy.Traffic.Splitting;
using Proxy.Traffic.State;
using Proxy.Traffic.State.Redis;

namespace Proxy.Traffic.Tests.State.Redis;

/// <summary>The repository contract against a real redis-server; each repository gets its own key prefix, as a separate fleet would.</summary>
public sealed class RedisSplitStateRepositoryTests(RedisServer server) : SplitStateRepositoryContract, IClassFixture<RedisServer>, IDisposable
{
    private readonly RedisConnections _connections = new();
    private readonly Dictionary<RedisSplitStateRepository, string> _prefixes = [];

    protected override ISplitStateRepository Create() => Open("fleet-" + Guid.NewGuid().ToString("N"));

    protected override ISplitStateRepository Reopen(ISplitStateRepository repository) => Open(_prefixes[(RedisSplitStateRepository)repository]);

    [Fact]
    public async Task Fleets_with_different_prefixes_do_not_see_each_other()
    {
        var blue = Create();
        var green = Create();
        await blue.CommitAsync([Commit("shop", 1)], default);

        Assert.Empty(await green.LoadAsync(default));
        await green.CommitAsync([Commit("shop", 1)], default);
    }

    [Fact]
    public async Task A_commit_notifies_every_subscriber()
    {
        var writer = Create();
        var reader = (ISplitStateChangeFeed)Reopen(writer);
        var notified = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await reader.SubscribeAsync(() => notified.TrySetResult(), default);

        await writer.CommitAsync([Commit("shop", 1)], default);

        await notified.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task The_first_commit_creates_the_generation_and_later_ones_keep_it()
    {
        var repository = (RedisSplitStateRepository)Create();
        Assert.Null((await repository.LoadGenerationAsync(default)).Generation);

        await repository.CommitAsync([Commit("shop", 1)], default);
        var created = (await repository.LoadGenerationAsync(default)).Generation;
        await repository.CommitAsync([Commit("shop", 2)], default);

        Assert.NotNull(created);
        var loaded = await ((RedisSplitStateRepository)Reopen(repository)).LoadGenerationAsync(default);
        Assert.Equal(created, loaded.Generation);
        Assert.Equal(2, Assert.Single(loaded.Routes).Revision);
    }

    [Fact]
    public async Task A_lost_state_is_rebuilt_by_exactly_one_of_the_instances_that_race_to_rebuild_it()
    {
        using var own = new RedisServer();
        var instances = Enumerable.Range(0, 3).Select(_ => new RedisSplitStateRepository(Connect(own, "lost"))).ToArray();
        await instances[0].CommitAsync([Commit("shop", 1), Commit("cart", 1)], default);
        var before = (await instances[0].LoadGenerationAsync(default)).Generation;

        own.Stop();
        own.Start();
        await WaitConnectedAsync(instances);
        var empty = await instances[1].LoadGenerationAsync(default);
        Assert.Null(empty.Generation);
        Assert.Empty(empty.Routes);

        var held = new[] { new RouteSplitRecord("shop", 7, State("canary"), State("blue")), new RouteSplitRecord("cart", 3, null, null) };
        var won = await Task.WhenAll(instances.Select(i => i.RebuildAsync(held, default)));

        Assert.Single(won, w => w);
        var rebuilt = await instances[2].LoadGenerationAsync(default);
        Assert.NotNull(rebuilt.Generation);
        Assert.NotEqual(before, rebuilt.Generation);
        Assert.Equal(held, rebuilt.Routes.OrderByDescending(r => r.RouteId, StringComparer.Ordinal));

        // Revisions go on from the rebuilt ones: the next commit is revision 8, not 1.
        await Assert.ThrowsAsync<SplitRevisionConflictException>(() => instances[0].CommitAsync([Commit("shop", 1)], default));
        await instances[0].CommitAsync([Commit("shop", 8)], default);
        Assert.Equal(rebuilt.Generation, (await instances[1].LoadGenerationAsync(default)).Generation);
    }

    [Fact]
    public async Task Calls_fail_as_unavailable_while_redis_is_down_and_work_again_after()
    {
        using var own = new RedisServer();
        var connection = _connections.Open(new RedisStateOptions { Configuration = own.Configuration, KeyPrefix = "down" });
        var repository = new RedisSplitStateRepository(connection);
        await repository.CommitAsync([Commit("shop", 1)], default);

        own.Stop();
        await Assert.ThrowsAsync<SplitStateUnavailableException>(() => repository.CommitAsync([Commit("shop", 2)], default));
        await Assert.ThrowsAsync<SplitStateUnavailableException>(() => repository.LoadAsync(default));

        own.Start();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!repository.IsConnected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        // The server came back empty (no persistence): revision 1 again.
        await repository.CommitAsync([Commit("shop", 1)], default);
    }

    public void Dispose() => _connections.Dispose();

    private RedisSplitStateRepository Open(string prefix)
    {
        var connection = _connections.Open(new RedisStateOptions { Configuration = server.Configuration, KeyPrefix = prefix });
        var repository = new RedisSplitStateRepository(connection);
        _prefixes[repository] = prefix;
        return repository;
    }

    private RedisStateConnection Connect(RedisServer redis, string prefix)
    {
        var connection = _connections.Open(new RedisStateOptions { Configuration = redis.Configuration, KeyPrefix = prefix });
        return connection;
    }

    private static async Task WaitConnectedAsync(IEnumerable<RedisSplitStateRepository> repositories)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!repositories.All(r => r.IsConnected))
        {
            Assert.True(DateTime.UtcNow < deadline, "the repositories did not reconnect");
            await Task.Delay(20);
        }
    }

    private static SplitState State(string cluster) => new(cluster, [new(cluster, BasisPoints.Total)]);

    private static SplitCommit Commit(string route, long revision)
    {
        var state = State("blue");
        return new(new RouteSplitRecord(route, revision, state, state),
            new SplitRevision(route, revision, DateTimeOffset.UnixEpoch, "ci", SplitActions.SetWeights, SplitChangeSource.Api, null, state, null));
    }
}
