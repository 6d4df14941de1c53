using Proxy.Traffic.State;
using Proxy.Traffic.State.Redis;

namespace Proxy.Traffic.Tests.State.Redis;

/// <summary>The isolation repository contract against a real redis-server; each repository gets its own key prefix, as a separate fleet would.</summary>
public sealed class RedisIsolationStateRepositoryTests(RedisServer server) : IsolationStateRepositoryContract, IClassFixture<RedisServer>, IDisposable
{
    private readonly RedisConnections _connections = new();
    private readonly Dictionary<IIsolationStateRepository, string> _prefixes = [];

    protected override IIsolationStateRepository Create() => Open("fleet-" + Guid.NewGuid().ToString("N"));

    protected override IIsolationStateRepository Reopen(IIsolationStateRepository repository) => Open(_prefixes[repository]);

    [Fact]
    public async Task An_isolation_notifies_every_subscriber_of_the_fleet()
    {
        var prefix = "fleet-" + Guid.NewGuid().ToString("N");
        var writer = Open(prefix);
        var reader = new RedisSplitStateRepository(Connect(prefix));
        var notified = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await reader.SubscribeAsync(() => notified.TrySetResult(), default);

        var isolation = new ManualIsolation("canary", null, "ops", DateTimeOffset.UnixEpoch);
        await writer.SaveAsync(isolation, IsolationChange.Isolated(isolation), default);

        await notified.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Rebuild_writes_the_isolations_back_only_when_the_store_holds_none()
    {
        var first = Open("fleet-" + Guid.NewGuid().ToString("N"));
        var second = (RedisIsolationStateRepository)Reopen(first);
        var canary = new ManualIsolation("canary", "bad build", "ops", DateTimeOffset.UnixEpoch);

        Assert.True(await first.RebuildAsync([canary], default));
        Assert.False(await second.RebuildAsync([new ManualIsolation("green", null, "ci", DateTimeOffset.UnixEpoch)], default));

        Assert.Equal([canary], await second.LoadAsync(default));
    }

    [Fact]
    public async Task A_write_while_redis_is_down_is_refused_as_unavailable()
    {
        using var stopped = new RedisServer();
        var connection = _connections.Open(new RedisStateOptions { Configuration = stopped.Configuration, KeyPrefix = "fleet" });
        var repository = new RedisIsolationStateRepository(connection);
        stopped.Stop();
        var isolation = new ManualIsolation("canary", null, "ops", DateTimeOffset.UnixEpoch);

        await Assert.ThrowsAsync<SplitStateUnavailableException>(() => repository.SaveAsync(isolation, IsolationChange.Isolated(isolation), default));
    }

    public void Dispose() => _connections.Dispose();

    private RedisIsolationStateRepository Open(string prefix)
    {
        var repository = new RedisIsolationStateRepository(Connect(prefix));
        _prefixes[repository] = prefix;
        return repository;
    }

    private RedisStateConnection Connect(string prefix)
    {
        var connection = _connections.Open(new RedisStateOptions { Configuration = server.Configuration, KeyPrefix = prefix });
        return connection;
    }
}
