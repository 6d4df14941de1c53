using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Rollouts;

public class BlueGreenRolloutTests
{
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
        Assert.Equal("fail", rollout.GetProperty("verdicts")[0].GetProperty("verdict").GetString());
        var switched = (await admin.GetHistoryAsync()).Single(h => h.GetProperty("action").GetString() == "rollout-step");
        Assert.Equal("blue", switched.GetProperty("after").GetProperty("stable").GetString()); // the previous stable stayed the fallback
    }
}
