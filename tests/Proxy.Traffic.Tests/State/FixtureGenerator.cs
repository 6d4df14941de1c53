#pragma warning disable CA1869, CA1849, CA2007
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Proxy.Traffic.Mirroring;
using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Rollouts.Analysis;
using Proxy.Traffic.Rollouts.State;
using Proxy.Traffic.Splitting;
using Proxy.Traffic.State;
using Proxy.Traffic.State.Redis;
using Proxy.Traffic.Tests.State.Redis;
using StackExchange.Redis;

namespace Proxy.Traffic.Tests.State;

// TEMPORARY: writes the migration fixtures with the code of main before issue 16.
public sealed class FixtureGenerator
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static SplitState S(int canary) => new("shop-blue", [new("shop-blue", BasisPoints.Total - canary), new("shop-canary", canary)]);
    private static readonly MirrorSettings Green = MirrorSettings.Create("shop-green", 12.5m, ["GET", "POST"], 2048, 16, TimeSpan.FromSeconds(2));

    private static RolloutState Rollout()
    {
        var analysis = new AnalysisSettings(TimeSpan.FromSeconds(10), 50, 0.05, 800, 0.01, 1.5, 2, TimeSpan.FromMinutes(1), InconclusiveAction.Pause);
        var plan = new RolloutPlan("shop-canary", RolloutStrategy.Canary, [new(500, TimeSpan.FromMinutes(2)), new(10000, null)], analysis);
        var verdict = new AnalysisVerdict(At, 0, VerdictOutcome.Pass, new("shop-canary", 120, 0.01, 3.2), new("shop-blue", 900, 0, 2.5), 0.4, "passed");
        return new RolloutState(
            "shop", 1, plan, "shop-blue", "ci", RolloutPhase.Paused, 0, 3, At, At.AddSeconds(30), At.AddSeconds(40), At.AddSeconds(50), false, true, 0, null,
            [verdict], [new RolloutEvent(At, "started by ci")], At.AddSeconds(55)) { Declaration = "abcdef0123456789" };
    }

    private static async Task WriteAll(ISplitStateRepository splits, IMirrorStateRepository mirrors, IIsolationStateRepository isolations, IRolloutStateRepository rollouts)
    {
        await splits.CommitAsync([
            new(new("shop", 1, S(1000), S(1000)), new("shop", 1, At, "config", SplitActions.Config, SplitChangeSource.Config, null, S(1000), null)),
            new(new("cart", 1, S(0), S(0)), new("cart", 1, At, "config", SplitActions.Config, SplitChangeSource.Config, null, S(0), null)),
        ], default);
        await splits.CommitAsync([new(new("shop", 2, S(2500), S(1000)), new("shop", 2, At.AddMinutes(1), "ops", SplitActions.SetWeights, SplitChangeSource.Api, S(1000), S(2500), "more canary"))], default);
        await splits.CommitAsync([new(new("shop", 3, S(5000), S(1000)), new("shop", 3, At.AddMinutes(2), "rollout", SplitActions.RolloutStep, SplitChangeSource.Rollout, S(2500), S(5000), null))], default);
        await splits.CommitAsync([new(new("cart", 2, null, null), new("cart", 2, At.AddMinutes(3), "config", SplitActions.Remove, SplitChangeSource.Config, S(0), null, null))], default);

        await mirrors.SaveAsync(new("shop", Green, null), new("shop", At.AddMinutes(4), "ops", MirrorChange.SetAction, null, Green, "dark launch"), default);
        await mirrors.SaveAsync(new("cart", null, Green), new("cart", At.AddMinutes(5), "ops", MirrorChange.RemoveAction, Green, null, "off"), default);

        var isolation = new ManualIsolation("shop-canary", "bad build", "ops", At.AddMinutes(6));
        await isolations.SaveAsync(isolation, IsolationChange.Isolated(isolation), default);
        var other = new ManualIsolation("cart-blue", null, "ops", At.AddMinutes(7));
        await isolations.SaveAsync(other, IsolationChange.Isolated(other), default);
        await isolations.RemoveAsync("cart-blue", new("cart-blue", At.AddMinutes(8), "ops", IsolationChange.ResetAction, "fixed"), default);

        await rollouts.SaveAsync(Rollout(), default);
    }

    [Fact]
    public async Task Write_sqlite_fixture()
    {
        var path = "/work/wt-16core/tests/Proxy.Traffic.Tests/State/Fixtures/main-state.db";
        File.Delete(path);
        await WriteAll(new SqliteSplitStateRepository(path), new SqliteMirrorStateRepository(path), new SqliteIsolationStateRepository(path), new SqliteRolloutStateRepository(path));
        SqliteConnection.ClearAllPools();
        using var c = new SqliteConnection($"Data Source={path}");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;";
        cmd.ExecuteNonQuery();
    }

    [Fact]
    public async Task Write_redis_fixture()
    {
        using var server = new RedisServer();
        using var connection = new RedisStateConnection(new RedisStateOptions { Configuration = server.Configuration, KeyPrefix = "proxy" });
        var leaseOk = await connection.CallAsync(db => db.StringSetAsync("{proxy}:rollout-lease:shop", connection.InstanceName));
        await WriteAll(new RedisSplitStateRepository(connection), new RedisMirrorStateRepository(connection), new RedisIsolationStateRepository(connection), new RedisRolloutStateRepository(connection));
        await connection.CallAsync(db => db.KeyDeleteAsync("{proxy}:rollout-lease:shop"));
        using var raw = await ConnectionMultiplexer.ConnectAsync(server.Configuration + ",allowAdmin=true");
        var keys = raw.GetServer(raw.GetEndPoints()[0]).Keys(pattern: "*").Select(k => k.ToString()).Order(StringComparer.Ordinal).ToArray();
        var db = raw.GetDatabase();
        var dump = new List<object>();
        foreach (var key in keys)
        {
            var type = db.KeyType(key);
            object value = type switch
            {
                RedisType.String => (string)db.StringGet(key)!,
                RedisType.Hash => db.HashGetAll(key).OrderBy(e => e.Name.ToString(), StringComparer.Ordinal).ToDictionary(e => e.Name.ToString(), e => e.Value.ToString()),
                RedisType.List => db.ListRange(key).Select(v => v.ToString()).ToArray(),
                RedisType.Set => db.SetMembers(key).Select(v => v.ToString()).Order(StringComparer.Ordinal).ToArray(),
                RedisType.SortedSet => db.SortedSetRangeByRankWithScores(key).Select(e => new { member = e.Element.ToString(), score = e.Score }).ToArray(),
                _ => throw new InvalidOperationException(type.ToString()),
            };
            dump.Add(new { key, type = type.ToString().ToLowerInvariant(), value });
        }

        File.WriteAllText("/work/wt-16core/tests/Proxy.Traffic.Tests/State/Fixtures/main-redis-keys.json", JsonSerializer.Serialize(dump, new JsonSerializerOptions { WriteIndented = true }));
        _ = leaseOk;
    }
}
