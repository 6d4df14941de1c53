using Proxy.Traffic.Splitting;
using Proxy.Traffic.State;
using Proxy.Traffic.State.Redis;

namespace Proxy.Traffic.Tests.State.Redis;

/// <summary>The repository contract against a real redis-server; each repository gets its own key prefix, as a separate fleet would.</summary>
public sealed class RedisSplitStateRepositoryTests(RedisServer server) : SplitStateRepositoryContract, IClassFixture<RedisServer>, IDisposable
{
    private readonly List<RedisStateConnection> _connections = [];
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
    public async Task Calls_fail_as_unavailable_while_redis_is_down_and_work_again_after()
    {
        using var own = new RedisServer();
        var connection = new RedisStateConnection(new RedisStateOptions { Configuration = own.Configuration, KeyPrefix = "down" });
        _connections.Add(connection);
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

    public void Dispose()
    {
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }
    }

    private RedisSplitStateRepository Open(string prefix)
    {
        var connection = new RedisStateConnection(new RedisStateOptions { Configuration = server.Configuration, KeyPrefix = prefix });
        _connections.Add(connection);
        var repository = new RedisSplitStateRepository(connection);
        _prefixes[repository] = prefix;
        return repository;
    }

    private static SplitCommit Commit(string route, long revision)
    {
        var state = new SplitState("blue", [new("blue", BasisPoints.Total)]);
        return new(new RouteSplitRecord(route, revision, state, state),
            new SplitRevision(route, revision, DateTimeOffset.UnixEpoch, "ci", SplitActions.SetWeights, SplitChangeSource.Api, null, state, null));
    }
}
