using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Health;

/// <summary>
/// A version that refuses connections fails no request that stable can serve, whatever its method: nothing of a request
/// is sent, or read from the client, before the connection is made (found by bench/chaos: POSTs got 502 after a kill -9).
/// </summary>
public class RefusedConnectionFailoverTests
{
    [Fact]
    public async Task Posts_with_bodies_split_to_a_version_that_refuses_connections_are_served_by_stable_intact()
    {
        var split = new
        {
            // A breaker that does not open during the test, so that every request split to the canary meets the refusal.
            CircuitBreaker = new { FailureRatio = 0.99, MinimumThroughput = 10_000, SamplingDuration = "00:00:30", BreakDuration = "00:00:05" },
            Routes = new Dictionary<string, object>
            {
                ["shop"] = new { Stable = "blue", Weights = new Dictionary<string, decimal> { ["blue"] = 50, ["canary"] = 50 } },
            },
        };
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], split);
        using var client = env.CreateClient(cookies: false);
        await env.Upstream("canary").StopAsync();
        var random = new Random(7);

        var failures = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            var body = new byte[1 + random.Next(64 * 1024)];
            random.NextBytes(body);
            using var response = await client.PostAsync("/_demo/upload", new ByteArrayContent(body));
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                failures.Add($"{(int)response.StatusCode}: {text}");
                continue;
            }

            using var json = JsonDocument.Parse(text);
            Assert.Equal(body.Length, json.RootElement.GetProperty("bytes").GetInt64());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), json.RootElement.GetProperty("sha256").GetString());
        }

        Assert.Empty(failures);
    }
}
