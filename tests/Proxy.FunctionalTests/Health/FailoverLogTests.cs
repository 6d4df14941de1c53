using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.Health;

namespace Proxy.FunctionalTests.Health;

/// <summary>Failed-over requests do not flood the log (issue 14): one readable line per cluster, no stack traces above Debug.</summary>
public class FailoverLogTests
{
    [Fact]
    public async Task Two_hundred_failed_over_requests_log_one_line_without_a_stack_trace()
    {
        using var logs = new FakeLoggerProvider();
        var split = new
        {
            // A breaker that does not open during the test, so that every canary request fails over.
            CircuitBreaker = new { FailureRatio = 0.99, MinimumThroughput = 10_000, SamplingDuration = "00:00:30", BreakDuration = "00:00:05" },
            Routes = new Dictionary<string, object>
            {
                ["shop"] = new { Stable = "blue", Weights = new Dictionary<string, decimal> { ["blue"] = 50, ["canary"] = 50 } },
            },
        };
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], split, configureGateway: b => b.Logging.AddProvider(logs));
        using var client = env.CreateClient(cookies: false);
        await env.Upstream("canary").StopAsync();

        var served = await Load.RunAsync(client, 200, parallelism: 4);

        Assert.Equal(new Dictionary<string, int> { ["blue"] = 200 }, served);
        Assert.Equal(BreakerState.Closed, env.Health.GetStatus("canary").Breaker);
        var records = logs.Collector.GetSnapshot();
        Assert.Empty(records.Where(r => r.Level >= LogLevel.Warning && r.Exception is not null).Select(r => $"{r.Category}: {r.Message}").Take(3));
        var line = Assert.Single(records, r => r.Level >= LogLevel.Warning && r.Category == "Proxy.Traffic.Health.UpstreamFailureLog");
        Assert.StartsWith("Upstream failure on cluster canary (route shop): Request (ConnectionError):", line.Message, StringComparison.Ordinal);
    }
}
