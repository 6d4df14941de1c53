using System.Net;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.Health;

namespace Proxy.FunctionalTests.Health;

public class CircuitBreakerTests
{
    private static object Split(decimal canary, object? breaker = null) => new
    {
        CircuitBreaker = breaker ?? new { FailureRatio = 0.3, MinimumThroughput = 10, SamplingDuration = "00:00:05", BreakDuration = "00:00:03" },
        Routes = new Dictionary<string, object>
        {
            ["shop"] = new { Stable = "blue", Weights = new Dictionary<string, decimal> { ["blue"] = 100 - canary, ["canary"] = canary } },
        },
    };

    [Fact]
    public async Task A_failing_canary_loses_its_share_to_stable_and_gets_it_back_after_recovery()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Split(50));
        using var client = env.CreateClient(cookies: false);
        env.Upstream("canary").Faults.ErrorRate = 0.5;

        Assert.True(env.Splits.TryGetSnapshot("shop", out var snapshot));
        int Effective(string cluster) => env.Health.EffectiveWeights(snapshot).Single(w => w.ClusterId == cluster).BasisPoints;

        // Traffic until the breaker trips (its callback then moves the effective weights); clients see the canary's 500s until then.
        await SendUntilAsync(client, () => env.Health.GetStatus("canary").Breaker == BreakerState.Open && Effective("blue") == 10_000, "the canary's breaker never opened");

        Assert.Contains("failure ratio", env.Health.GetStatus("canary").Reason, StringComparison.Ordinal);
        var canaryServed = env.Upstream("canary").Stats.Total;
        for (var i = 0; i < 20 && !env.Health.IsAvailable("canary"); i++)
        {
            Assert.Equal("blue", await client.GetVersionAsync());
        }

        // Fixed: after the break a trial request half-opens the breaker, succeeds and closes it.
        env.Upstream("canary").Faults.Clear();
        await SendUntilAsync(client, () => env.Health.GetStatus("canary").Breaker == BreakerState.Closed && Effective("canary") == 5_000, "the canary's breaker never closed", expectSuccess: true);

        var served = await Load.RunAsync(client, 400, parallelism: 4);
        Assert.InRange(served.GetValueOrDefault("canary"), 120, 280);
        Assert.True(env.Upstream("canary").Stats.Total > canaryServed);
    }

    [Fact]
    public async Task Broken_stable_sends_everything_to_the_healthy_canary()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Split(10));
        using var client = env.CreateClient(cookies: false);

        await env.Health.IsolateAsync("blue", "maintenance");

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal("canary", await client.GetVersionAsync());
        }

        Assert.Equal(0, env.Upstream("blue").Stats.Total);
    }

    [Fact]
    public async Task All_clusters_broken_answers_a_fast_503_with_retry_after_and_no_upstream_call()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Split(10));
        using var client = env.CreateClient(cookies: false);
        await env.Health.IsolateAsync("blue", "maintenance");
        await env.Health.IsolateAsync("canary", "maintenance");

        using var response = await client.GetAsync("/anything");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("No healthy cluster", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, env.Upstream("blue").Stats.Total + env.Upstream("canary").Stats.Total);

        await env.Health.ResetAsync("blue");
        Assert.Equal("blue", await client.GetVersionAsync());
    }

    private static async Task SendUntilAsync(HttpClient client, Func<bool> condition, string because, bool expectSuccess = false)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, because);
            using var response = await client.GetAsync("/");
            if (expectSuccess)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
    }
}
