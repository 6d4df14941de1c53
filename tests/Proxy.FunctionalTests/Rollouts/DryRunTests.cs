using System.Diagnostics;
using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Rollouts;

/// <summary>A dry run end to end: its verdicts fail, it says it would roll back, and the split in force never moves.</summary>
public class DryRunTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_dry_run_whose_verdicts_fail_records_would_roll_back_and_never_moves_traffic()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Rollouts.RouteWithoutBreaker(new() { ["blue"] = 80, ["canary"] = 20 }));
        env.Upstream("canary").Faults.ErrorRate = 0.3;
        using var admin = env.CreateAdminClient();
        await using var load = new SteadyLoad(env.CreateClient(cookies: false), Rollouts.ServedBy);
        await load.WarmAsync();
        var revision = env.Revision("shop");

        var started = await admin.StartRolloutAsync(new
        {
            candidate = "canary",
            steps = new object[] { new { weight = 50, pause = "00:00:00.5" }, new { weight = 100 } },
            analysis = new { interval = "00:00:00.5", minRequests = 5, maxErrorRate = 0.05, dryRun = true, inconclusiveTimeout = Patience.ToString("c") },
            rollback = new { steps = new[] { 10, 0 } },
        });
        var startedAt = Stopwatch.GetTimestamp();
        Assert.True(started.GetProperty("dryRun").GetBoolean());
        Assert.Equal("blue=80, canary=20", started.Weights());

        // Several failed verdicts, each "would roll back" (failureLimit 1), and the rollout still running at its first step.
        var rollout = await Eventually.ValueAsync(
            async () => await admin.GetRolloutAsync() is var r && Messages(r).Count(m => m.StartsWith("dry run: would roll back: 1 failed analysis in a row", StringComparison.Ordinal)) >= 3 ? r : (System.Text.Json.JsonElement?)null,
            "the dry run did not record three would-be rollbacks",
            Patience);
        Assert.Equal(("Progressing", 0), (rollout.GetProperty("phase").GetString(), rollout.GetProperty("step").GetInt32()));
        Assert.All(rollout.GetProperty("verdicts").EnumerateArray().Where(v => v.GetProperty("verdict").GetString() != "inconclusive"), v => Assert.Equal("fail", v.GetProperty("verdict").GetString()));

        var aborted = await admin.PostAsync("api/routes/shop/rollouts/current/abort");
        aborted.EnsureSuccessStatusCode();
        Assert.Equal("Aborted", (await aborted.ReadJsonAsync()).GetProperty("phase").GetString());

        // Not one revision, rollback or step: the split is as it was, and the canary kept its fifth of the traffic throughout.
        Assert.Equal(revision, env.Revision("shop"));
        Assert.DoesNotContain(await admin.GetHistoryAsync(), h => h.GetProperty("source").GetString() == "rollout");
        var (route, _) = await admin.GetRouteAsync();
        Assert.Equal("blue=80, canary=20", route.Weights());
        var served = load.ServedSince(startedAt);
        var share = (double)served.GetValueOrDefault("canary") / served.Values.Sum();
        Assert.True(share is > 0.1 and < 0.3, $"canary served {share:P0} of the requests during the dry run: {string.Join(", ", served.Select(s => $"{s.Key}={s.Value}"))}");
    }

    private static IEnumerable<string> Messages(System.Text.Json.JsonElement rollout) =>
        rollout.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()!);
}
