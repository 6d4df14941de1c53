using System.Text.Json;
using Microsoft.Data.Sqlite;
using Proxy.Traffic.Mirroring;
using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Splitting;
using Proxy.Traffic.State;
using Proxy.Traffic.State.Redis;
using Proxy.Traffic.Tests.State.Redis;
using StackExchange.Redis;

namespace Proxy.Traffic.Tests.State;

/// <summary>
/// State written by main before issue 16 loads with the one model: <c>Fixtures/main-state.db</c> is a SQLite file and
/// <c>Fixtures/main-redis-keys.json</c> a dump of a Redis key space, both written by main's repositories (splits with
/// history, a removed route, mirrors, an isolation and a reset one, a paused rollout).
/// </summary>
public sealed class MigrationTests(RedisServer server) : IClassFixture<RedisServer>, IDisposable
{
    private static readonly SplitDefinition ShopFile = new("shop-blue", [new("shop-blue", 9000), new("shop-canary", 1000)], null, []);
    private readonly string _directory = Directory.CreateTempSubdirectory("proxy-migration-").FullName;
    private readonly RedisConnections _connections = new();

    [Fact]
    public async Task A_sqlite_file_written_by_main_loads_with_every_setting_and_its_history()
    {
        var path = Path.Combine(_directory, "state.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "State", "Fixtures", "main-state.db"), path);

        await AssertMigratedAsync(new SqliteStateRepository(path));

        // Opened again (a restart): migrated once, not twice.
        SqliteConnection.ClearAllPools();
        var reopened = new SqliteStateRepository(path);
        Assert.Equal(3, (await reopened.GetHistoryAsync(SplitSetting.Key("shop"), 10, default)).Count);
        Assert.Equal(7, (await reopened.LoadAsync(default)).Settings.Count);
    }

    [Fact]
    public async Task A_redis_key_space_written_by_main_is_migrated_by_the_first_instance_and_read_by_all()
    {
        var prefix = "fleet-" + Guid.NewGuid().ToString("N");
        await WriteMainKeySpaceAsync(prefix);
        var first = Open(prefix);
        var second = Open(prefix);

        await Task.WhenAll(first.LoadAsync(default), second.LoadAsync(default));

        await AssertMigratedAsync(first);
        await AssertMigratedAsync(second);
        Assert.Equal(3, (await Open(prefix).GetHistoryAsync(SplitSetting.Key("shop"), 10, default)).Count);
    }

    public void Dispose()
    {
        _connections.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task AssertMigratedAsync(IStateRepository repository)
    {
        var state = new RuntimeStateStore(repository, TimeProvider.System);
        var splits = new SplitStore(state);
        var mirrors = new MirrorStore(state);
        var registry = new RolloutRegistry();
        var rollouts = new RolloutStore(state, registry);

        // The file's split for shop is the one it was configured with: the runtime 50/50 of revision 3 stays in force.
        await splits.ReplaceAsync(new Dictionary<string, SplitDefinition> { ["shop"] = ShopFile }, default);
        Assert.True(splits.TryGetSnapshot("shop", out var shop));
        Assert.Equal((3L, 5000), (shop.Revision, shop.Definition.WeightOf("shop-canary")));
        var history = await splits.GetHistoryAsync("shop", 10, default);
        Assert.Equal([(3L, SplitActions.RolloutStep, SplitChangeSource.Rollout), (2L, SplitActions.SetWeights, SplitChangeSource.Api), (1L, SplitActions.Config, SplitChangeSource.Config)],
            history.Select(h => (h.Revision, h.Action, h.Source)));
        Assert.Equal(("ops", "more canary", 1000, 2500), (history[1].Actor, history[1].Reason, history[1].Before!.Weights[1].BasisPoints, history[1].After!.Weights[1].BasisPoints));
        Assert.False(splits.TryGetSnapshot("cart", out _));
        var cart = SplitSetting.Read((await repository.LoadAsync(default)).Settings.Single(s => s.Key == SplitSetting.Key("cart")));
        Assert.Equal(new RouteSplitRecord("cart", 2, null, null), cart);

        // Mirrors: shop's runtime mirror is in force at revision 1 (one audit entry), with before/after.
        await mirrors.ApplyConfiguredAsync(new Dictionary<string, MirrorSettings>(), default);
        Assert.True(mirrors.TryGet("shop", out var mirrored));
        Assert.Equal((MirrorSource.Api, "shop-green", 1250), (mirrored.Source, mirrored.Settings.ClusterId, mirrored.Settings.BasisPoints));
        Assert.Equal(1, mirrors.GetRevision("shop"));
        Assert.Null(mirrored.Settings.Diff); // stored before answers were compared: the default comparison
        var mirrorHistory = Assert.Single(await mirrors.GetHistoryAsync("shop", 10, default));
        Assert.Equal((1L, MirrorChange.SetAction, "dark launch"), (mirrorHistory.Revision, mirrorHistory.Action, mirrorHistory.Reason));
        Assert.True(mirrorHistory.After!.SameAs(mirrored.Settings));

        // Isolations: shop-canary isolated (revision 1); cart-blue isolated then reset (revision 2, removed, both entries kept).
        var settings = (await repository.LoadAsync(default)).Settings.ToDictionary(s => s.Key);
        var isolation = IsolationSetting.Read(settings[IsolationSetting.Key("shop-canary")])!;
        Assert.Equal(("bad build", "ops", 1L), (isolation.Reason, isolation.Actor, settings[IsolationSetting.Key("shop-canary")].Revision));
        Assert.Equal(new StoredSetting(IsolationSetting.Key("cart-blue"), 2, null), settings[IsolationSetting.Key("cart-blue")]);
        var reset = (await repository.GetHistoryAsync(IsolationSetting.Key("cart-blue"), 10, default)).Select(IsolationSetting.Read).ToArray();
        Assert.Equal([(2L, IsolationChange.ResetAction, "fixed"), (1L, IsolationChange.IsolateAction, null)], reset.Select(c => (c.Revision, c.Action, c.Reason)));

        // Rollouts: the paused rollout is back with its plan, verdicts and declaration.
        await rollouts.RefreshAsync(default);
        var rollout = registry.Get("shop")!;
        Assert.Equal((1L, RolloutPhase.Paused, 0, 3L, "abcdef0123456789"), (rollout.Id, rollout.Phase, rollout.Step, rollout.Revision, rollout.Declaration));
        Assert.Equal(("shop-canary", RolloutStrategy.Canary, 2), (rollout.Plan.Candidate, rollout.Plan.Strategy, rollout.Plan.Steps.Count));
        Assert.Equal(Traffic.Rollouts.Analysis.VerdictOutcome.Pass, Assert.Single(rollout.Verdicts).Outcome);
    }

    // Replays the dump with raw commands, as main's repositories left the keys.
    private async Task WriteMainKeySpaceAsync(string prefix)
    {
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "State", "Fixtures", "main-redis-keys.json")));
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        var db = redis.GetDatabase();
        string Prefixed(string text) => text.Replace("{proxy}", "{" + prefix + "}", StringComparison.Ordinal);
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            var key = Prefixed(entry.GetProperty("key").GetString()!);
            var value = entry.GetProperty("value");
            switch (entry.GetProperty("type").GetString())
            {
                case "string":
                    await db.StringSetAsync(key, value.GetString());
                    break;
                case "hash":
                    await db.HashSetAsync(key, [.. value.EnumerateObject().Select(p => new HashEntry(p.Name, p.Value.GetString()))]);
                    break;
                case "list":
                    await db.ListRightPushAsync(key, [.. value.EnumerateArray().Select(v => (RedisValue)v.GetString())]);
                    break;
                case "set":
                    await db.SetAddAsync(key, [.. value.EnumerateArray().Select(v => (RedisValue)Prefixed(v.GetString()!))]);
                    break;
                case "sortedset":
                    await db.SortedSetAddAsync(key, [.. value.EnumerateArray().Select(v => new SortedSetEntry(v.GetProperty("member").GetString(), v.GetProperty("score").GetDouble()))]);
                    break;
            }
        }
    }

    private RedisStateRepository Open(string prefix) =>
        new(_connections.Open(new RedisStateOptions { Configuration = server.Configuration, KeyPrefix = prefix }));
}
