using Proxy.Traffic.State;
using Proxy.Traffic.State.Redis;

namespace Proxy.Traffic.Tests.State.Redis;

/// <summary>The repository contract against a real redis-server; each repository gets its own key prefix, as a separate fleet would.</summary>
public sealed class RedisStateRepositoryTests(RedisServer server) : StateRepositoryContract, IClassFixture<RedisServer>, IDisposable
{
    private readonly RedisConnections _connections = new();
    private readonly Dictionary<IStateRepository, string> _prefixes = [];

    protected override IStateRepository Create() => Open(server, "fleet-" + Guid.NewGuid().ToString("N"));

    protected override IStateRepository Reopen(IStateRepository repository) => Open(server, _prefixes[repository]);

    [Fact]
    public async Task Fleets_with_different_prefixes_do_not_see_each_other()
    {
        var blue = Create();
        var green = Create();
        await blue.CommitAsync([Commit(Split("shop"), 1)], default);

        Assert.Empty((await green.LoadAsync(default)).Settings);
        await green.CommitAsync([Commit(Split("shop"), 1)], default);
    }

    [Fact]
    public async Task A_commit_of_any_kind_notifies_every_subscriber()
    {
        var writer = Create();
        var reader = Reopen(writer);
        var notified = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await reader.SubscribeAsync(() => notified.TrySetResult(), default);

        await writer.CommitAsync([Commit(new(SettingKinds.Isolation, "blue"), 1)], default);

        await notified.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_subscriber_is_told_to_look_again_when_its_connection_comes_back_after_redis_restarts()
    {
        // Redis keeps no message for a subscription that is down: a commit published while this instance reconnects is
        // lost, so the reconnection itself must make the subscriber read what it may have missed.
        using var own = new RedisServer();
        var reader = Open(own, "restarted");
        var notified = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await reader.SubscribeAsync(() => notified.TrySetResult(), default);

        own.Stop();
        own.Start();

        await notified.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_lost_state_is_rebuilt_by_exactly_one_of_the_instances_that_race_to_rebuild_it()
    {
        using var own = new RedisServer();
        var instances = Enumerable.Range(0, 3).Select(_ => Open(own, "lost")).ToArray();
        await instances[0].CommitAsync([Commit(Split("shop"), 1), Commit(new(SettingKinds.Mirror, "shop"), 1)], default);
        var before = (await instances[0].LoadAsync(default)).Generation;

        own.Stop();
        own.Start();
        await _connections.WaitAnsweringAsync();
        var empty = await instances[1].LoadAsync(default);
        Assert.Null(empty.Generation);
        Assert.Empty(empty.Settings);

        StoredSetting[] held = [new(Split("shop"), 7, "{\"v\":7}"), new(new(SettingKinds.Mirror, "shop"), 2, null)];
        var won = await Task.WhenAll(instances.Select(i => i.RebuildAsync(held, default)));

        Assert.Single(won, w => w);
        var rebuilt = await instances[2].LoadAsync(default);
        Assert.NotNull(rebuilt.Generation);
        Assert.NotEqual(before, rebuilt.Generation);
        Assert.Equal(held, rebuilt.Settings.OrderByDescending(s => s.Key.Kind, StringComparer.Ordinal));

        // Revisions go on from the rebuilt ones: the next commit is revision 8, not 1.
        await Assert.ThrowsAsync<StateConflictException>(() => instances[0].CommitAsync([Commit(Split("shop"), 1)], default));
        await instances[0].CommitAsync([Commit(Split("shop"), 8)], default);
        Assert.Equal(rebuilt.Generation, (await instances[1].LoadAsync(default)).Generation);
    }

    [Fact]
    public async Task Calls_fail_as_unavailable_while_redis_is_down_and_work_again_after()
    {
        using var own = new RedisServer();
        var repository = Open(own, "down");
        await repository.CommitAsync([Commit(Split("shop"), 1)], default);

        own.Stop();
        await Assert.ThrowsAsync<StateUnavailableException>(() => repository.CommitAsync([Commit(Split("shop"), 2)], default));
        await Assert.ThrowsAsync<StateUnavailableException>(() => repository.LoadAsync(default));

        own.Start();
        await _connections.WaitAnsweringAsync();

        // The server came back empty (no persistence): revision 1 again.
        await repository.CommitAsync([Commit(Split("shop"), 1)], default);
    }

    public void Dispose() => _connections.Dispose();

    private RedisStateRepository Open(RedisServer redis, string prefix)
    {
        var repository = new RedisStateRepository(_connections.Open(new RedisStateOptions { Configuration = redis.Configuration, KeyPrefix = prefix }));
        _prefixes[repository] = prefix;
        return repository;
    }

}
