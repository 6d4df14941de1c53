using Proxy.FunctionalTests.Infrastructure;
using Proxy.FunctionalTests.Rollouts;

namespace Proxy.FunctionalTests.Mirroring.Diffs;

/// <summary>A rollout that judges a preview on the mirror's answer differences.</summary>
public class MirrorDiffRolloutTests
{
    [Fact]
    public async Task A_preview_whose_answers_differ_beyond_maxDiffRate_is_rolled_back_and_the_candidate_never_serves_a_user()
    {
        await using var blue = await ScriptedUpstream.StartAsync((context, _) => MirrorDiffTests.Json(context, """{"sku":"A1","price":9.99}"""));
        await using var green = await ScriptedUpstream.StartAsync((context, _) => MirrorDiffTests.Json(context, """{"sku":"A1","price":19.99}"""));
        var split = new
        {
            Routes = new Dictionary<string, object>
            {
                ["shop"] = new
                {
                    Stable = "blue",
                    Weights = new Dictionary<string, decimal> { ["blue"] = 100, ["green"] = 0 },
                    Mirror = new { Cluster = "green", Percentage = 100 },
                },
            },
        };
        await using var env = await TestEnvironment.StartAsync(["blue", "green"], split, config =>
        {
            blue.Serve(config, "blue");
            green.Serve(config, "green");
        });
        using var admin = env.CreateAdminClient();
        await using var users = new SteadyLoad(env.CreateClient(cookies: false), "X-Unused", parallelism: 2);
        await users.WarmAsync();

        await admin.StartRolloutAsync(new
        {
            candidate = "green",
            strategy = "blueGreen",
            prePromotionWindow = "00:00:01",
            analysis = new { interval = "00:00:00.5", minRequests = 10, maxDiffRate = 0.05 },
        });
        var done = await admin.WaitForPhaseAsync("RolledBack", TimeSpan.FromSeconds(15));

        var verdict = done.GetProperty("verdicts").EnumerateArray().First();
        Assert.Equal(("fail", 0), (verdict.GetProperty("verdict").GetString(), verdict.GetProperty("step").GetInt32()));
        Assert.Contains("answers differed in", verdict.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Contains("above the limit 5.0%", verdict.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.True(green.Requests > 0, "the mirror sent green nothing");
        Assert.Empty(green.Unmirrored);
        var (route, _) = await admin.GetRouteAsync();
        Assert.Equal("blue=100, green=0", route.Weights());
    }
}
