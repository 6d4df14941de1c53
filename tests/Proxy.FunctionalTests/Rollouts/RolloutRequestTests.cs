using System.Net;
using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Rollouts;

public class RolloutRequestTests
{
    private static readonly object Analysis = new { interval = "00:01:00", maxErrorRate = 0.05 };

    [Fact]
    public async Task Bad_plans_get_a_problem_naming_the_field_and_change_nothing()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 100, ["canary"] = 0 }));
        using var admin = env.CreateAdminClient();
        using var none = await admin.GetAsync("api/routes/shop/rollouts/current");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);

        (object Plan, string Field)[] bad =
        [
            (new { candidate = "nope", steps = new[] { new { weight = 10 } }, analysis = Analysis }, "candidate"),
            (new { candidate = "blue", steps = new[] { new { weight = 10 } }, analysis = Analysis }, "candidate"),
            (new { candidate = "canary", steps = new[] { new { weight = 50 }, new { weight = 10 } }, analysis = Analysis }, "steps[1].weight"),
            (new { candidate = "canary", steps = new[] { new { weight = 10 } }, analysis = new { interval = "00:10:00", maxErrorRate = 0.05 } }, "analysis.interval"),
            (new { candidate = "canary", steps = new[] { new { weight = 10 } }, analysis = new { interval = "00:00:10" } }, "analysis"),
            (new { candidate = "canary", strategy = "rainbow", analysis = Analysis }, "strategy"),
        ];
        foreach (var (plan, field) in bad)
        {
            using var response = await admin.PostAsync("api/routes/shop/rollouts", plan);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty(field, out _), $"{field} not named for {plan}");
        }

        Assert.Equal(1, env.Revision("shop"));
    }

    [Theory]
    [InlineData("maxP99LatencyMs")]
    [InlineData("maxLatencyFactor")]
    public async Task A_limit_of_1e400_is_refused_naming_it_and_moves_no_traffic(string limit)
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 100, ["canary"] = 0 }));
        using var admin = env.CreateAdminClient();
        var body = $$$"""{"candidate":"canary","steps":[{"weight":20}],"analysis":{"interval":"00:00:10","{{{limit}}}":1e400}}""";

        using var response = await admin.PostAsync("api/routes/shop/rollouts", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty($"analysis.{limit}", out _));
        Assert.Equal(1, env.Revision("shop"));
        Assert.DoesNotContain(await admin.GetHistoryAsync(), h => h.GetProperty("action").GetString() == "rollout-step");
        using var current = await admin.GetAsync("api/routes/shop/rollouts/current");
        Assert.Equal(HttpStatusCode.NotFound, current.StatusCode);
    }

    [Fact]
    public async Task A_second_rollout_is_refused_while_one_runs_and_a_viewer_cannot_start_one()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 100, ["canary"] = 0 }));
        using var admin = env.CreateAdminClient();
        using var viewer = env.CreateAdminClient(TestEnvironment.ViewerKey);
        var plan = new { candidate = "canary", steps = new[] { new { weight = 10 } }, analysis = Analysis };

        using var forbidden = await viewer.PostAsync("api/routes/shop/rollouts", plan);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        await admin.StartRolloutAsync(plan);
        using var second = await admin.PostAsync("api/routes/shop/rollouts", plan);

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("Progressing", (await viewer.GetRolloutAsync()).GetProperty("phase").GetString());
    }
}
