using System.Diagnostics;
using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Rollouts;

/// <summary>
/// Rollouts end to end, in real time: the bounds are ones a loaded 2-core machine meets every time. The exact timing of
/// analysis (a rollback at the end of the failing window) is asserted on fake time by RolloutAnalysisTimingTests.
/// </summary>
public class CanaryRolloutTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    // Long next to the interval: on a loaded machine a window may see fewer than minRequests (inconclusive) or a slow
    // p99; that must make the rollout wait, not roll it back.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static object Plan(params object[] steps) => new
    {
        candidate = "canary",
        strategy = "canary",
        steps,
        analysis = new { interval = Interval.ToString("c"), minRequests = 15, maxErrorRate = 0.05, maxP99LatencyMs = 5000, failureLimit = 1, inconclusiveTimeout = Patience.ToString("c") },
    };

    [Fact]
    public async Task A_failing_canary_is_rolled_back_by_analysis_at_its_first_step_and_gets_no_request_afterwards()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 100, ["canary"] = 0 }, servedByHeader: Rollouts.ServedBy));
        env.Upstream("canary").Faults.ErrorRate = 0.2;
        using var admin = env.CreateAdminClient();
        await using var load = new SteadyLoad(env.CreateClient(cookies: false), Rollouts.ServedBy);
        await load.WarmAsync();

        await admin.StartRolloutAsync(Plan(new { weight = 30, pause = Patience.ToString("c") }, new { weight = 100 }));
        var rollout = await admin.WaitForPhaseAsync("RolledBack", Patience);
        var afterRollback = Stopwatch.GetTimestamp();

        // Before the first step's pause ran out: the analysis stopped the canary at 30 %, it never reached 100 %.
        Assert.True(rollout.Duration() < Patience, $"rolled back after {rollout.Duration()}: {rollout}");
        var verdict = rollout.GetProperty("verdicts")[0]; // newest first: the one that rolled back
        Assert.Equal("fail", verdict.GetProperty("verdict").GetString());
        Assert.Contains("above the limit 5.0%", verdict.GetProperty("summary").GetString(), StringComparison.Ordinal);
        var (route, _) = await admin.GetRouteAsync();
        Assert.Equal("blue=100, canary=0", route.Weights());

        await Eventually.TrueAsync(() => load.ServedSince(afterRollback).Values.Sum() > 300, "the load stalled after the rollback");
        Assert.Equal(["blue"], load.ServedSince(afterRollback).Keys);
        var history = await admin.GetHistoryAsync();
        Assert.Equal(("rollout-rollback", "rollout"), (history[0].GetProperty("action").GetString(), history[0].GetProperty("source").GetString()));
        Assert.Matches(@"canary: \d+ requests, \d+\.\d% errors, p99 [\d.]+ ms; blue: \d+ requests", history[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_canary_whose_breaker_trips_fails_its_analysis_though_the_breaker_kept_its_requests_too_few_to_judge()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 100, ["canary"] = 0 }, servedByHeader: Rollouts.ServedBy));
        env.Upstream("canary").Faults.ErrorRate = 1;
        using var admin = env.CreateAdminClient();
        await using var load = new SteadyLoad(env.CreateClient(cookies: false), Rollouts.ServedBy);
        await load.WarmAsync();

        // The breaker opens after its minimum throughput of 20 requests: far fewer than the 5,000 the error rate needs.
        await admin.StartRolloutAsync(new
        {
            candidate = "canary",
            strategy = "canary",
            steps = new object[] { new { weight = 50, pause = Patience.ToString("c") }, new { weight = 100 } },
            analysis = new { interval = Interval.ToString("c"), minRequests = 5000, maxErrorRate = 0.05, failureLimit = 1, inconclusiveTimeout = Patience.ToString("c") },
        });
        var rollout = await admin.WaitForPhaseAsync("RolledBack", Patience);

        var verdict = rollout.GetProperty("verdicts")[0];
        Assert.Equal("fail", verdict.GetProperty("verdict").GetString());
        Assert.Contains("the candidate is out of rotation: breaker open", verdict.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.True(rollout.Duration() < Patience, $"rolled back after {rollout.Duration()}, not before the inconclusive timeout: {rollout}");
    }

    [Fact]
    public async Task A_canary_an_operator_isolated_is_not_failed_for_it_its_analysis_waits()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 100, ["canary"] = 0 }, servedByHeader: Rollouts.ServedBy));
        using var admin = env.CreateAdminClient();
        await using var load = new SteadyLoad(env.CreateClient(cookies: false), Rollouts.ServedBy);
        await load.WarmAsync();
        (await admin.PostAsync("api/clusters/canary/isolate", new { reason = "hold it" })).EnsureSuccessStatusCode();

        await admin.StartRolloutAsync(Plan(new { weight = 50, pause = Patience.ToString("c") }, new { weight = 100 }));
        await Eventually.TrueAsync(async () => (await admin.GetRolloutAsync()).GetProperty("verdicts").GetArrayLength() >= 3, "no analysis ran");

        var rollout = await admin.GetRolloutAsync();
        Assert.Equal("Progressing", rollout.GetProperty("phase").GetString());
        Assert.All(rollout.GetProperty("verdicts").EnumerateArray(), v => Assert.Equal("inconclusive", v.GetProperty("verdict").GetString()));
    }

    [Fact]
    public async Task A_healthy_canary_walks_every_step_and_becomes_stable()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 100, ["canary"] = 0 }, servedByHeader: Rollouts.ServedBy));
        using var admin = env.CreateAdminClient();
        await using var load = new SteadyLoad(env.CreateClient(cookies: false), Rollouts.ServedBy);
        await load.WarmAsync();

        await admin.StartRolloutAsync(Plan(new { weight = 10, pause = "00:00:00.5" }, new { weight = 50, pause = "00:00:00.5" }, new { weight = 100 }));
        var rollout = await admin.WaitForPhaseAsync("Succeeded", 2 * Patience);
        var afterPromotion = Stopwatch.GetTimestamp();

        var (route, _) = await admin.GetRouteAsync();
        Assert.Equal(("canary", "blue=0, canary=100"), (route.GetProperty("stable").GetString(), route.Weights()));
        var steps = (await admin.GetHistoryAsync()).Where(h => h.GetProperty("source").GetString() == "rollout")
            .Select(h => $"{h.GetProperty("action").GetString()} {h.GetProperty("after").Weights()}").Reverse();
        Assert.Equal(
            ["rollout-step blue=90, canary=10", "rollout-step blue=50, canary=50", "rollout-step blue=0, canary=100", "rollout-promote blue=0, canary=100"],
            steps);
        Assert.All(rollout.GetProperty("verdicts").EnumerateArray(), v => Assert.NotEqual("fail", v.GetProperty("verdict").GetString()));
        await Eventually.TrueAsync(() => load.ServedSince(afterPromotion).Values.Sum() > 100, "the load stalled after the promotion");
        Assert.Equal(["canary"], load.ServedSince(afterPromotion).Keys);
    }
}
