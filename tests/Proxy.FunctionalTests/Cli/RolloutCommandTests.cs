using Proxy.FunctionalTests.Infrastructure;
using Proxy.FunctionalTests.Rollouts;

namespace Proxy.FunctionalTests.Cli;

public class RolloutCommandTests
{
    // Short analysis windows and pauses, as in CanaryRolloutTests; the watch polls every second.
    private const string HealthyPlanYaml = """
        candidate: canary
        strategy: canary
        steps:
          - weight: 10
            pause: "00:00:00.5"
          - weight: 100
        analysis:
          interval: "00:00:00.5"
          minRequests: 15
          maxErrorRate: 0.05
          maxP99LatencyMs: 1000
        """;

    private const string FailingPlanJson = """
        { "candidate": "canary", "steps": [ { "weight": 30, "pause": "00:00:10" }, { "weight": 100 } ],
          "analysis": { "interval": "00:00:00.5", "minRequests": 15, "maxErrorRate": 0.05, "failureLimit": 1 } }
        """;

    private static Task<TestEnvironment> StartAsync() =>
        TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 100, ["canary"] = 0 }, servedByHeader: Rollouts.Rollouts.ServedBy));

    [Fact]
    public async Task Rollout_status_watch_exits_0_when_a_healthy_canary_is_promoted()
    {
        await using var env = await StartAsync();
        using var cli = new ProxyCtlRunner(env);
        await using var load = new SteadyLoad(env.CreateClient(cookies: false), Rollouts.Rollouts.ServedBy);
        await load.WarmAsync();

        var start = await cli.RunAsync("rollout", "start", "shop", "-f", cli.WriteFile("plan.yaml", HealthyPlanYaml));
        var watch = await cli.RunAsync("rollout", "status", "shop", "--watch", "--timeout", "00:00:40");

        Assert.True(start.ExitCode == 0, start.ToString());
        Assert.Contains("Progressing", start.Output, StringComparison.Ordinal);
        Assert.True(watch.ExitCode == 0, watch.ToString());
        var lines = watch.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(" Succeeded ", lines[^1], StringComparison.Ordinal);
        Assert.Equal(lines.Length, lines.Distinct().Count());
        Assert.DoesNotContain("polling", watch.Error, StringComparison.Ordinal); // the gateway's event stream drove it throughout
        using var admin = env.CreateAdminClient();
        var (route, _) = await admin.GetRouteAsync();
        Assert.Equal(("canary", "blue=0, canary=100"), (route.GetProperty("stable").GetString(), route.Weights()));
    }

    [Fact]
    public async Task Rollout_status_watch_exits_1_when_the_analysis_rolls_the_canary_back()
    {
        await using var env = await StartAsync();
        env.Upstream("canary").Faults.ErrorRate = 0.2;
        using var cli = new ProxyCtlRunner(env);
        await using var load = new SteadyLoad(env.CreateClient(cookies: false), Rollouts.Rollouts.ServedBy);
        await load.WarmAsync();

        var start = await cli.RunAsync("rollout", "start", "shop", "-f", cli.WriteFile("plan.json", FailingPlanJson));
        var watch = await cli.RunAsync("rollout", "status", "shop", "--watch", "--timeout", "00:00:40");

        Assert.True(start.ExitCode == 0, start.ToString());
        Assert.True(watch.ExitCode == 1, watch.ToString());
        Assert.Contains(" RolledBack ", watch.Output, StringComparison.Ordinal);
        Assert.Contains("verdict fail: error rate", watch.Output, StringComparison.Ordinal);
        using var admin = env.CreateAdminClient();
        Assert.Equal("RolledBack", (await admin.GetRolloutAsync()).GetProperty("phase").GetString());
    }

    [Fact]
    public async Task Pause_resume_promote_and_abort_act_on_the_current_rollout()
    {
        await using var env = await StartAsync();
        using var cli = new ProxyCtlRunner(env);
        using var admin = env.CreateAdminClient();
        var plan = cli.WriteFile("plan.json", """
            { "candidate": "canary", "steps": [ { "weight": 20 }, { "weight": 100 } ],
              "analysis": { "interval": "00:01:00", "minRequests": 1000, "maxErrorRate": 0.05 } }
            """);

        var start = await cli.RunAsync("rollout", "start", "shop", "-f", plan);
        var pause = await cli.RunAsync("rollout", "pause", "shop");
        var paused = (await admin.GetRolloutAsync()).GetProperty("phase").GetString();
        var resume = await cli.RunAsync("rollout", "resume", "shop", "-o", "json");
        var promote = await cli.RunAsync("rollout", "promote", "shop");
        var (route, _) = await admin.GetRouteAsync();
        var status = await cli.RunAsync("rollout", "status", "shop");
        var abortEnded = await cli.RunAsync("rollout", "abort", "shop");
        var second = await cli.RunAsync("rollout", "start", "shop", "-f", plan);

        Assert.Equal((0, 0, "Paused"), (start.ExitCode, pause.ExitCode, paused));
        Assert.Equal(0, resume.ExitCode);
        Assert.Contains("\"phase\":", resume.Output, StringComparison.Ordinal);
        Assert.Equal((0, "canary"), (promote.ExitCode, route.GetProperty("stable").GetString()));
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("Succeeded", status.Output, StringComparison.Ordinal);
        Assert.Equal(3, abortEnded.ExitCode);
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("candidate", second.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_plan_exits_1_naming_the_field_and_a_missing_plan_file_is_a_usage_error()
    {
        await using var env = await StartAsync();
        using var cli = new ProxyCtlRunner(env);

        var invalid = await cli.RunAsync("rollout", "start", "shop", "-f", cli.WriteFile("bad.yaml", "candidate: canary\nsteps:\n  - weight: 150\nanalysis:\n  interval: 00:00:01\n  maxErrorRate: 0.05\n"));
        var missing = await cli.RunAsync("rollout", "start", "shop", "-f", Path.Combine(cli.Directory, "nope.json"));
        var none = await cli.RunAsync("rollout", "status", "shop");

        Assert.Equal(1, invalid.ExitCode);
        Assert.Contains("steps[0].weight", invalid.Error, StringComparison.Ordinal);
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("has had no rollout", none.Error, StringComparison.Ordinal);
    }
}
