using System.Text.Json;
using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Experiments;

public class ExperimentTests
{
    private const int Users = 600;

    [Fact]
    public async Task Arm_whose_upstream_makes_the_goal_succeed_more_often_is_reported_as_winning()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "green"], Experiments.Split());
        // Orders fail on blue's upstream four times in five, on green's one time in five.
        env.Upstream("blue").Faults.ErrorRate = 0.8;
        env.Upstream("green").Faults.ErrorRate = 0.2;
        using var client = env.CreateClient(cookies: false);
        using var admin = env.CreateAdminClient();

        for (var i = 0; i < Users; i++)
        {
            await Experiments.VisitAsync(client, $"user-{i}", orders: true);
        }

        var report = await admin.ReportAsync();

        Assert.Equal(("winner", "green"), (report.Verdict(), report.GetProperty("outcome").GetProperty("winner").GetString()));
        Assert.StartsWith("green wins (+", report.Text(), StringComparison.Ordinal);
        Assert.Contains("95 % interval +", report.Text(), StringComparison.Ordinal);
        var arms = report.GetProperty("arms").EnumerateArray().ToArray();
        Assert.Equal(["blue", "green"], arms.Select(a => a.GetProperty("arm").GetString()));
        Assert.Equal(Users, arms.Sum(a => a.GetProperty("exposed").GetInt64()));
        Assert.All(arms, a => Assert.InRange(a.GetProperty("exposed").GetInt64(), 240, 360));
        Assert.InRange(arms[0].GetProperty("goals").GetProperty("order").GetProperty("rate").GetDouble(), 0.1, 0.3);
        Assert.InRange(arms[1].GetProperty("goals").GetProperty("order").GetProperty("rate").GetDouble(), 0.7, 0.9);
        Assert.InRange(arms[0].GetProperty("guardrails").GetProperty("errorRate").GetDouble(), 0.6, 1.0);
        Assert.False(report.GetProperty("sampleRatio").GetProperty("detected").GetBoolean());
        Assert.Equal("exact", report.GetProperty("counting").GetProperty("mode").GetString());
    }

    [Fact]
    public async Task Identical_arms_are_not_reported_as_different()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "green"], Experiments.Split());
        using var client = env.CreateClient(cookies: false);
        using var admin = env.CreateAdminClient();

        // A/A: one user in three orders, whichever arm serves them.
        for (var i = 0; i < Users; i++)
        {
            await Experiments.VisitAsync(client, $"user-{i}", orders: i % 3 == 0);
        }

        var report = await admin.ReportAsync();

        Assert.Equal("no-difference-yet", report.Verdict());
        Assert.Matches(@"^no difference detectable yet \(≈[\d,]+ more users per arm needed for a 2 % lift\)$", report.Text());
        Assert.All(report.GetProperty("comparisons").EnumerateArray(), c => Assert.False(c.GetProperty("significant").GetBoolean()));
        using var promote = await admin.PostAsync("api/routes/shop/experiments/checkout/promote", null);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, promote.StatusCode);
    }

    [Fact]
    public async Task Skewed_assignment_is_flagged_as_sample_ratio_mismatch_and_not_promoted()
    {
        // A header rule forces green for some users: the exposures no longer follow the 50/50 allocation.
        var overrides = new object[] { new { Header = "X-Variant", Values = new Dictionary<string, string> { ["green"] = "green" } } };
        await using var env = await TestEnvironment.StartAsync(["blue", "green"], Experiments.Split(overrides));
        env.Upstream("blue").Faults.ErrorRate = 0.8;
        using var client = env.CreateClient(cookies: false);
        using var admin = env.CreateAdminClient();

        for (var i = 0; i < 400; i++)
        {
            var forced = i % 10 < 3;
            await Experiments.VisitAsync(client, $"user-{i}", orders: true, r =>
            {
                if (forced)
                {
                    r.Headers.Add("X-Variant", "green");
                }
            });
        }

        var report = await admin.ReportAsync();
        using var promote = await admin.PostAsync("api/routes/shop/experiments/checkout/promote", null);

        Assert.Equal("srm", report.Verdict());
        Assert.StartsWith("SRM detected: do not trust", report.Text(), StringComparison.Ordinal);
        Assert.True(report.GetProperty("sampleRatio").GetProperty("pValue").GetDouble() < 0.0005);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, promote.StatusCode);
        Assert.Equal("running", (await admin.ReportAsync()).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Promoting_the_winner_is_one_audited_revision_and_ends_the_experiment()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "green"], Experiments.Split());
        env.Upstream("blue").Faults.ErrorRate = 0.8;
        env.Upstream("green").Faults.ErrorRate = 0.2;
        using var client = env.CreateClient(cookies: false);
        using var admin = env.CreateAdminClient();
        for (var i = 0; i < Users; i++)
        {
            await Experiments.VisitAsync(client, $"user-{i}", orders: true);
        }

        var revision = env.Revision("shop");
        var historyBefore = (await admin.GetHistoryAsync()).Length;

        using var promote = await admin.PostAsync("api/routes/shop/experiments/checkout/promote", new { reason = "ship it" });
        Assert.True(promote.IsSuccessStatusCode, $"{promote.StatusCode}: {await promote.Content.ReadAsStringAsync()}");
        var body = await promote.ReadJsonAsync();
        var history = await admin.GetHistoryAsync();
        var (route, _) = await admin.GetRouteAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, promote.StatusCode);
        Assert.Equal("promoted", body.GetProperty("experiment").GetProperty("state").GetString());
        Assert.Equal(revision + 1, env.Revision("shop"));
        Assert.Equal(historyBefore + 1, history.Length);
        var entry = history[0];
        Assert.Equal(("experiment-promote", "ops", "api"), (entry.GetProperty("action").GetString(), entry.GetProperty("actor").GetString(), entry.GetProperty("source").GetString()));
        Assert.StartsWith("experiment checkout: green wins (+", entry.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("— ship it", entry.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(("green", "blue=0, green=100"), (route.GetProperty("stable").GetString(), route.Weights()));
        env.Upstream("green").Faults.Clear();
        Assert.Equal("green", await client.GetVersionAsync("/", r => r.Headers.Add("X-User-Id", "user-1")));

        // Ended: counting stopped, and a second promotion is refused.
        var exposedAtEnd = ExposedTotal(await admin.ReportAsync());
        await Experiments.VisitAsync(client, "late-user", orders: true);
        using var again = await admin.PostAsync("api/routes/shop/experiments/checkout/promote", null);
        Assert.Equal(exposedAtEnd, ExposedTotal(await admin.ReportAsync()));
        Assert.Equal(System.Net.HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Viewer_reads_experiments_but_cannot_stop_them()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "green"], Experiments.Split());
        using var viewer = env.CreateAdminClient(TestEnvironment.ViewerKey);
        using var operatorClient = env.CreateAdminClient();

        using var list = await viewer.GetAsync("api/routes/shop/experiments");
        using var stop = await viewer.PostAsync("api/routes/shop/experiments/checkout/stop", null);
        using var missing = await viewer.GetAsync("api/routes/shop/experiments/nope");
        using var stopped = await operatorClient.PostAsync("api/routes/shop/experiments/checkout/stop", new { reason = "paused" });
        var history = await (await operatorClient.GetAsync("api/routes/shop/experiments/checkout/history")).ReadJsonAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(Experiments.Name, (await list.ReadJsonAsync())[0].GetProperty("name").GetString());
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, stop.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("stopped", (await stopped.ReadJsonAsync()).GetProperty("state").GetString());
        Assert.Equal(("stopped", "ops", "paused"), (history[0].GetProperty("state").GetString(), history[0].GetProperty("actor").GetString(), history[0].GetProperty("reason").GetString()));
    }

    private static long ExposedTotal(JsonElement report) => report.GetProperty("arms").EnumerateArray().Sum(a => a.GetProperty("exposed").GetInt64());
}
