using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Rollouts;

/// <summary>
/// Rollouts judged on a real Prometheus that scrapes the gateway's own <c>/metrics</c> (admin listener) every second: the
/// candidate's 5xx share by the proxy's request counter. The gateway's own error limit is set loose, so only the
/// Prometheus check can stop the canary. The gateway judged runs as a process of its own, as in production: the
/// OpenTelemetry exporter of a gateway hosted in the test process also exports the other hosts' instruments of the same
/// meter (every test's "shop" route), so its figures would be every concurrent test's.
/// </summary>
public sealed class PrometheusCheckTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("proxy-prometheus-checks-").FullName;

    // "or vector(0)": without a 5xx yet the numerator has no series, and no series is inconclusive, not zero.
    private const string CandidateErrorShare =
        """(sum(rate(proxy_requests_total{proxy_route="{{route}}",proxy_cluster="{{candidate}}",proxy_status_class="5xx"}[{{interval}}])) or vector(0))"""
        + """ / sum(rate(proxy_requests_total{proxy_route="{{route}}",proxy_cluster="{{candidate}}"}[{{interval}}]))""";

    // Holds ten scrapes, of which rate() needs two: on a loaded machine Prometheus misses some (their timeout is the
    // scrape interval), and with a window of four the check was inconclusive for minutes once.
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    // Long next to the interval: until Prometheus has scraped the canary's first requests, the check is inconclusive.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private static object Plan(PrometheusServer prometheus, params object[] steps) => new
    {
        candidate = "canary",
        steps,
        analysis = new
        {
            interval = Interval.ToString("c"),
            minRequests = 5,
            maxErrorRate = 0.9,
            inconclusiveTimeout = Patience.ToString("c"),
            metrics = new[] { new { name = "canary-5xx", prometheus = new { address = prometheus.Address.ToString(), query = CandidateErrorShare }, max = 0.1 } },
        },
    };

    [PrometheusFact]
    public async Task A_canary_whose_5xx_share_in_prometheus_is_above_the_check_s_max_is_rolled_back()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 100, ["canary"] = 0 }, servedByHeader: Rollouts.ServedBy));
        await using var gateway = await StartGatewayProcessAsync(env);
        await using var prometheus = await PrometheusServer.StartAsync(gateway.AdminAddress);
        env.Upstream("canary").Faults.ErrorRate = 0.3;
        using var admin = gateway.CreateAdminClient();
        await using var load = new SteadyLoad(new HttpClient { BaseAddress = gateway.ProxyAddress }, Rollouts.ServedBy, parallelism: 2);
        await load.WarmAsync();

        await admin.StartRolloutAsync(Plan(prometheus, new { weight = 50, pause = "00:10:00" }, new { weight = 100 }));
        var rollout = await admin.WaitForPhaseAsync("RolledBack", 2 * Patience);

        var verdict = rollout.GetProperty("verdicts")[0];
        var check = verdict.GetProperty("metrics")[0];
        Assert.True(
            (verdict.GetProperty("verdict").GetString(), check.GetProperty("name").GetString(), check.GetProperty("outcome").GetString()) == ("fail", "canary-5xx", "fail"),
            $"{rollout}\nGateway: {gateway.Output}\nPrometheus: {prometheus.Output}");
        Assert.InRange(check.GetProperty("value").GetDouble(), 0.1, 1);
        Assert.Matches(@"^canary-5xx = [\d.]+ above the limit 0\.1; the gateway's own limits met", verdict.GetProperty("summary").GetString());
        var (route, _) = await admin.GetRouteAsync();
        Assert.Equal("blue=100, canary=0", route.Weights());
        Assert.Contains("canary-5xx = ", (await admin.GetHistoryAsync())[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [PrometheusFact]
    public async Task A_canary_whose_5xx_share_in_prometheus_is_within_the_check_walks_every_step_and_becomes_stable()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 100, ["canary"] = 0 }, servedByHeader: Rollouts.ServedBy));
        await using var gateway = await StartGatewayProcessAsync(env);
        await using var prometheus = await PrometheusServer.StartAsync(gateway.AdminAddress);
        using var admin = gateway.CreateAdminClient();
        await using var load = new SteadyLoad(new HttpClient { BaseAddress = gateway.ProxyAddress }, Rollouts.ServedBy, parallelism: 2);
        await load.WarmAsync();

        await admin.StartRolloutAsync(Plan(prometheus, new { weight = 50, pause = "00:00:00" }, new { weight = 100 }));
        var rollout = await admin.WaitForPhaseAsync("Succeeded", 3 * Patience);

        var passed = rollout.GetProperty("verdicts").EnumerateArray().Where(v => v.GetProperty("verdict").GetString() == "pass").ToArray();
        Assert.Equal(2, passed.Length); // one per step
        Assert.All(passed, v => Assert.Equal((0d, "pass"), (v.GetProperty("metrics")[0].GetProperty("value").GetDouble(), v.GetProperty("metrics")[0].GetProperty("outcome").GetString())));
        Assert.DoesNotContain(rollout.GetProperty("verdicts").EnumerateArray(), v => v.GetProperty("verdict").GetString() == "fail");
        var (route, _) = await admin.GetRouteAsync();
        Assert.Equal(("canary", "blue=0, canary=100"), (route.GetProperty("stable").GetString(), route.Weights()));
    }

    [Fact]
    public async Task A_check_whose_prometheus_cannot_be_reached_is_inconclusive_and_pauses_the_rollout_saying_why()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 100, ["canary"] = 0 }, servedByHeader: Rollouts.ServedBy));
        using var admin = env.CreateAdminClient();
        await using var load = new SteadyLoad(env.CreateClient(cookies: false), Rollouts.ServedBy, parallelism: 2);
        await load.WarmAsync();
        using var down = new RefusingPort();
        var unreachable = $"http://127.0.0.1:{down.Port}";
        await using var events = await EventStreamReader.OpenAsync(env.AdminAddress, TestEnvironment.ViewerKey, "?route=shop&kinds=rollout");

        await admin.StartRolloutAsync(new
        {
            candidate = "canary",
            steps = new[] { new { weight = 50, pause = "00:00:00" }, new { weight = 100, pause = "00:00:00" } },
            analysis = new
            {
                interval = "00:00:00.5",
                minRequests = 5,
                maxErrorRate = 0.5,
                inconclusiveTimeout = "00:00:02",
                onInconclusive = "pause",
                metrics = new[] { new { name = "orders", prometheus = new { address = unreachable, query = "sum(rate(orders_total[{{interval}}]))" }, min = 1 } },
            },
        });
        var verdictEvent = await events.NextAsync(e => e.Data.Contains("\"metrics\"", StringComparison.Ordinal), "no rollout event carried the check's figures", Patience);
        var rollout = await admin.WaitForPhaseAsync("Paused", Patience);

        // Never passed on a check that could not be made: still at its first step.
        Assert.Equal((0, "blue=50, canary=50"), (rollout.GetProperty("step").GetInt32(), rollout.Weights()));
        var verdicts = rollout.GetProperty("verdicts").EnumerateArray().ToArray();
        Assert.All(verdicts, v => Assert.Equal("inconclusive", v.GetProperty("verdict").GetString()));
        var check = verdicts[0].GetProperty("metrics")[0];
        Assert.Equal(("orders", "inconclusive", 1d), (check.GetProperty("name").GetString(), check.GetProperty("outcome").GetString(), check.GetProperty("min").GetDouble()));
        Assert.StartsWith($"Prometheus at {unreachable} cannot be reached", check.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, check.GetProperty("value").ValueKind);
        var eventCheck = System.Text.Json.JsonDocument.Parse(verdictEvent.Data).RootElement.GetProperty("verdict").GetProperty("metrics")[0];
        Assert.Equal(("orders", "inconclusive"), (eventCheck.GetProperty("name").GetString(), eventCheck.GetProperty("outcome").GetString()));
        Assert.StartsWith($"Prometheus at {unreachable} cannot be reached", eventCheck.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("paused: analysis inconclusive", rollout.GetProperty("events").EnumerateArray().Last().GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // The environment's configuration file (its upstreams, its split), its own state file.
    // A breaker that opens only when every request fails: with the canary's 30 % errors it could otherwise open (it did, on
    // 11 of 22 early requests) before Prometheus has scraped a 5xx share, and then the rollback is the breaker's, not the check's.
    private Task<GatewayProcess> StartGatewayProcessAsync(TestEnvironment env) =>
        GatewayProcess.StartAsync(env.ConfigFile, _directory, $"--State:Sqlite:Path={Path.Combine(_directory, "state.db")}", "--TrafficSplit:CircuitBreaker:FailureRatio=1");
}
