using System.Collections.Concurrent;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.Health;

namespace Proxy.FunctionalTests.Health;

public class ActiveHealthTests
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(300);

    private static object Split(decimal canary) =>
        Splits.Route("blue", new() { ["blue"] = 100 - canary, ["canary"] = canary });

    [Fact]
    public async Task A_stopped_canary_fails_no_request_is_isolated_and_gets_traffic_back_when_it_returns()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Split(30), c => TestEnvironment.ActiveHealthChecks(c, ProbeInterval));
        using var client = env.CreateClient(cookies: false);
        var failures = new ConcurrentQueue<string>();
        var completed = 0;
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await client.GetVersionAsync();
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    failures.Enqueue(ex.Message);
                }

                Interlocked.Increment(ref completed);
            }
        })).ToArray();

        await Eventually.TrueAsync(() => Volatile.Read(ref completed) > 300, "load did not get going");
        await env.Upstream("canary").StopAsync();
        await Eventually.TrueAsync(() => env.Health.GetStatus("canary").Breaker == BreakerState.Isolated, "active health did not isolate the stopped canary");
        var servedWhileDown = env.Upstream("canary").Stats.Total;

        await env.Upstream("canary").StartAsync();
        await Eventually.TrueAsync(() => env.Health.GetStatus("canary").Breaker == BreakerState.Closed, "the canary was not restored when it came back");
        await Eventually.TrueAsync(() => env.Upstream("canary").Stats.Total > servedWhileDown + 50, "traffic did not return to the canary");
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.Empty(failures);
    }

    [Fact]
    public async Task A_manual_isolation_is_not_undone_by_a_passing_health_check()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Split(50), c => TestEnvironment.ActiveHealthChecks(c, ProbeInterval));
        using var client = env.CreateClient(cookies: false);

        await env.Health.IsolateAsync("canary", "operator");
        var epoch = env.Health.Epoch;

        // Each probe round reports to the registry and moves its epoch: wait for several passing rounds.
        await Eventually.TrueAsync(() => env.Health.Epoch >= epoch + 6, "no health probe round completed");

        var status = env.Health.GetStatus("canary");
        Assert.Equal((BreakerState.Isolated, 1, 1), (status.Breaker, status.HealthyDestinations, status.TotalDestinations));
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal("blue", await client.GetVersionAsync());
        }
    }

    [Fact]
    public async Task An_unhealthy_canary_is_isolated_by_health_and_restored_when_healthy()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Split(50), c => TestEnvironment.ActiveHealthChecks(c, ProbeInterval));

        env.Upstream("canary").Faults.Healthy = false;
        await Eventually.TrueAsync(() => env.Health.GetStatus("canary").Breaker == BreakerState.Isolated, "the unhealthy canary was not isolated");
        Assert.Equal(0, env.Health.GetStatus("canary").HealthyDestinations);

        env.Upstream("canary").Faults.Healthy = true;
        await Eventually.TrueAsync(() => env.Health.GetStatus("canary").Breaker == BreakerState.Closed, "the healthy canary was not restored");
    }
}
