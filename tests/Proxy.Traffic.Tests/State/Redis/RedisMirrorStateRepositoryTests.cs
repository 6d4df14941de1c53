using Proxy.Traffic.Mirroring;
using Proxy.Traffic.State;
using Proxy.Traffic.State.Redis;

namespace Proxy.Traffic.Tests.State.Redis;

/// <summary>The mirror repository contract against a real redis-server; each repository gets its own key prefix, as a separate fleet would.</summary>
public sealed class RedisMirrorStateRepositoryTests(RedisServer server) : MirrorStateRepositoryContract, IClassFixture<RedisServer>, IDisposable
{
    private readonly RedisConnections _connections = new();
    private readonly Dictionary<IMirrorStateRepository, string> _prefixes = [];

    protected override IMirrorStateRepository Create() => Open("fleet-" + Guid.NewGuid().ToString("N"));

    protected override IMirrorStateRepository Reopen(IMirrorStateRepository repository) => Open(_prefixes[repository]);

    [Fact]
    public async Task A_mirror_change_notifies_every_subscriber_of_the_fleet()
    {
        var prefix = "fleet-" + Guid.NewGuid().ToString("N");
        var writer = Open(prefix);
        var reader = new RedisSplitStateRepository(Connect(prefix));
        var notified = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await reader.SubscribeAsync(() => notified.TrySetResult(), default);

        await writer.ClearAsync("shop", new("shop", DateTimeOffset.UnixEpoch, "ops", MirrorChange.RemoveAction, null, null, null), default);

        await notified.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Rebuild_writes_the_settings_back_only_when_the_store_holds_none()
    {
        var green = MirrorSettings.Create("green", 10, null, null, null, null);
        var first = Open("fleet-" + Guid.NewGuid().ToString("N"));
        var second = (RedisMirrorStateRepository)Reopen(first);

        Assert.True(await first.RebuildAsync([new("shop", green, null), new("cart", null, green)], default));
        Assert.False(await second.RebuildAsync([new("shop", null, null)], default));

        var loaded = (await second.LoadAsync(default)).OrderBy(o => o.RouteId, StringComparer.Ordinal).ToArray();
        Assert.Equal(["cart", "shop"], loaded.Select(o => o.RouteId));
        Assert.True(loaded[1].Mirror!.SameAs(green));
        Assert.Null(loaded[0].Mirror);
    }

    public void Dispose() => _connections.Dispose();

    private RedisMirrorStateRepository Open(string prefix)
    {
        var repository = new RedisMirrorStateRepository(Connect(prefix));
        _prefixes[repository] = prefix;
        return repository;
    }

    private RedisStateConnection Connect(string prefix)
    {
        var connection = _connections.Open(new RedisStateOptions { Configuration = server.Configuration, KeyPrefix = prefix });
        return connection;
    }
}
