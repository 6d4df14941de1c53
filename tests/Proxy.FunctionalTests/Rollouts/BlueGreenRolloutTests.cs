using System.Diagnostics;
using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Rollouts;

public class BlueGreenRolloutTests
{
    [Fact]
    public async Task A_preview_gives_the_candidate_only_override_traffic_judges_it_then_switches_and_promotes()
    {
        var overrides = new object[] { new { Header = "X-Variant", Values = new Dictionary<string, string> { ["green"] = "green" } } };
        await using var env = await TestEnvironment.StartAsync(
            ["blue", "green"], Splits.Route("blue", new() { ["blue"] = 100, ["green"] = 0 }, overrides: overrides, servedByHeader: Rollouts.ServedBy));
        using var admin = env.CreateAdminClient();
        await using var users = new SteadyLoad(env.CreateClient(cookies: false), Rollouts.ServedBy, parallelism: 4);
        using var testerClient = env.CreateClient(cookies: false);
        testerClient.DefaultRequestHeaders.Add("X-Variant", "green");
        await using var testers = new SteadyLoad(testerClient, Rollouts.ServedBy, parallelism: 2);
        await users.WarmAsync();
        var before = Stopwatch.GetTimestamp();

        var started = await admin.StartRolloutAsync(new
        {
            candidate = "green",
            strategy = "blueGreen",
            // Long enough that the first read below lands in the preview even on a loaded machine (with 1 s it sometimes did not,
            // and no user answer could be shown to come from the preview).
            prePromotionWindow = "00:00:03",
            postPromotionWindow = "00:00:01",
            analysis = new { interval = "00:00:00.5", minRequests = 10, maxErrorRate = 0.05 },
        });
        Assert.Equal(("blue=100, green=0", 0), (started.Weights(), started.GetProperty("step").GetInt32()));

        // A read sent after an answer that still shows the preview proves that answer was decided during the preview. The
        // route's split is read, not the rollout's step: the switch is in force before the rollout's state is saved, so a
        // step read could still say "preview" while users already reach green.
        var lastPreview = before;
        while (true)
        {
            var asked = Stopwatch.GetTimestamp();
            if ((await admin.GetRouteAsync()).Route.Weights() != "blue=100, green=0")
            {
                break;
            }

            lastPreview = asked;
            await Task.Delay(20);
        }

        var done = await admin.WaitForPhaseAsync("Succeeded", TimeSpan.FromSeconds(30));

        Assert.Equal(["blue"], users.AnsweredBetween(before, lastPreview).Keys);
        Assert.Equal(["green"], testers.ServedSince(before).Keys);
        // The API lists verdicts newest first: the first of step 0 is the one that ended the preview (earlier ones may be inconclusive).
        var previewVerdict = done.GetProperty("verdicts").EnumerateArray().First(v => v.GetProperty("step").GetInt32() == 0);
        Assert.Equal("pass", previewVerdict.GetProperty("verdict").GetString());
        Assert.True(previewVerdict.GetProperty("candidate").GetProperty("requests").GetInt64() >= 10, previewVerdict.ToString());
        var (route, _) = await admin.GetRouteAsync();
        Assert.Equal(("green", "blue=0, green=100"), (route.GetProperty("stable").GetString(), route.Weights()));
        var afterPromotion = Stopwatch.GetTimestamp();
        await Eventually.TrueAsync(() => users.ServedSince(afterPromotion).Values.Sum() > 50, "the users' load stalled after the promotion");
        Assert.Equal(["green"], users.ServedSince(afterPromotion).Keys);
    }

    [Fact]
    public async Task A_switch_whose_post_promotion_window_fails_returns_to_the_previous_stable_by_itself()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "green"], Splits.Route("blue", new() { ["blue"] = 100, ["green"] = 0 }, servedByHeader: Rollouts.ServedBy));
        env.Upstream("green").Faults.ErrorRate = 0.3;
        using var admin = env.CreateAdminClient();
        await using var load = new SteadyLoad(env.CreateClient(cookies: false), Rollouts.ServedBy);
        await load.WarmAsync();

        var started = await admin.StartRolloutAsync(new
        {
            candidate = "green",
            strategy = "blueGreen",
            postPromotionWindow = "00:00:05",
            analysis = new { interval = "00:00:00.5", minRequests = 15, maxErrorRate = 0.05 },
        });
        Assert.Equal("blue=0, green=100", started.Weights());

        var rollout = await admin.WaitForPhaseAsync("RolledBack", TimeSpan.FromSeconds(10));

        var (route, _) = await admin.GetRouteAsync();
        Assert.Equal(("blue", "blue=100, green=0"), (route.GetProperty("stable").GetString(), route.Weights()));
        var latest = rollout.GetProperty("verdicts")[0];
        Assert.True(latest.GetProperty("verdict").GetString() == "fail", $"the rollback should follow a failed analysis: {rollout}");
        var switched = (await admin.GetHistoryAsync()).Single(h => h.GetProperty("action").GetString() == "rollout-step");
        Assert.Equal("blue", switched.GetProperty("after").GetProperty("stable").GetString()); // the previous stable stayed the fallback
    }
}
