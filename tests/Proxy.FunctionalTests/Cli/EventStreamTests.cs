using Microsoft.Extensions.DependencyInjection;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.FunctionalTests.Rollouts;

namespace Proxy.FunctionalTests.Cli;

/// <summary>proxyctl's <c>events</c> and <c>rollout status --watch</c> against the gateway's real event stream.</summary>
public class EventStreamTests
{
    private static Task<TestEnvironment> StartAsync() =>
        TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 100, ["canary"] = 0 }, servedByHeader: Rollouts.Rollouts.ServedBy));

    [Fact]
    public async Task Events_prints_each_event_of_the_route_and_kinds_asked_for_as_id_kind_data()
    {
        await using var env = await StartAsync();
        using var admin = env.CreateAdminClient();
        using var cli = new ProxyCtlRunner(env, TestEnvironment.ViewerKey);
        using var stop = new CancellationTokenSource();
        var output = new SynchronizedWriter();

        var run = cli.RunUntilCancelledAsync(output, stop.Token, "events", "--route", "shop", "--kinds", "split", "--kinds", "breaker");
        await Eventually.TrueAsync(() => env.Services.GetRequiredService<Proxy.Traffic.Events.ProxyEventHub>().ClientCount == 1, "proxyctl did not connect");
        (await admin.PutWeightsAsync(new { blue = 70, canary = 30 }, reason: "from the test")).EnsureSuccessStatusCode();
        (await admin.PostAsync("api/clusters/canary/isolate", new { reason = "bad build" })).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(() => output.Lines.Count(l => l.Length > 0) >= 2, "proxyctl printed fewer than two events");
        await stop.CancelAsync();
        var exit = await run;

        Assert.Equal(0, exit);
        var lines = output.Lines.Where(l => l.Length > 0).ToArray();
        Assert.Matches(@"^[0-9a-f]+-\d+ split \{""route"":""shop"",""revision"":2,""source"":""api"",.*""actor"":""ops"",.*""reason"":""from the test""", lines[0]);
        Assert.Matches(@"^[0-9a-f]+-\d+ breaker \{""cluster"":""canary"",""routes"":\[""shop""\],""from"":""Closed"",""to"":""Isolated"",""cause"":""bad build", lines[1]);
    }

    [Fact]
    public async Task Events_with_an_unknown_kind_is_refused_naming_it_and_exits_1()
    {
        await using var env = await StartAsync();
        using var cli = new ProxyCtlRunner(env, TestEnvironment.ViewerKey);

        var result = await cli.RunAsync("events", "--kinds", "weather");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("kinds: 'weather' is not a kind", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rollout_watch_follows_the_stream_to_the_promotion_and_exits_0()
    {
        await using var env = await StartAsync();
        using var admin = env.CreateAdminClient();
        await using var load = new SteadyLoad(env.CreateClient(cookies: false), Rollouts.Rollouts.ServedBy, parallelism: 2);
        await load.WarmAsync();
        using var cli = new ProxyCtlRunner(env);
        await admin.StartRolloutAsync(new
        {
            candidate = "canary",
            steps = new object[] { new { weight = 50, pause = "00:00:01" }, new { weight = 100 } },
            analysis = new { interval = "00:00:01", minRequests = 5, maxErrorRate = 0.5, maxP99LatencyMs = 10000, inconclusiveTimeout = "00:01:00" },
        });

        var result = await cli.RunAsync("rollout", "status", "shop", "--watch", "--timeout", "00:01:30");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("polling", result.Error, StringComparison.Ordinal); // it followed the stream throughout
        var phases = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[4]).ToArray();
        Assert.Equal("Succeeded", phases[^1]);
        Assert.Contains("Progressing", phases);
    }
}
