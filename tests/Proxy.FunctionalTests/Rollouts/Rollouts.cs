using System.Net;
using System.Text.Json;
using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Rollouts;

/// <summary>Starting and watching rollouts through the admin API.</summary>
public static class Rollouts
{
    public const string ServedBy = "X-Served-By";

    /// <summary>
    /// The route shop with <paramref name="weights"/>, answers marked with the cluster that served them, and breakers that
    /// open only when every request fails: a test that watches a failing candidate's share of traffic is not disturbed
    /// by its breaker (the first 20 requests at 30% errors reach the default ratio of 0.5 about once in 20 runs).
    /// </summary>
    public static object RouteWithoutBreaker(Dictionary<string, decimal> weights) => new
    {
        ServedByHeader = ServedBy,
        Routes = new Dictionary<string, object> { ["shop"] = new { Stable = "blue", Weights = weights, CircuitBreaker = new { FailureRatio = 1.0 } } },
    };

    public static async Task<JsonElement> StartRolloutAsync(this HttpClient admin, object plan)
    {
        using var response = await admin.PostAsync("api/routes/shop/rollouts", plan);
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return body;
    }

    public static async Task<JsonElement> GetRolloutAsync(this HttpClient admin)
    {
        using var response = await admin.GetAsync("api/routes/shop/rollouts/current");
        response.EnsureSuccessStatusCode();
        return await response.ReadJsonAsync();
    }

    /// <summary>
    /// Polls the rollout until it reaches <paramref name="phase"/>; fails with its last state after the deadline. A 404 counts
    /// as not there yet: an instance of a fleet answers it until it has synced a rollout another instance started.
    /// </summary>
    public static async Task<JsonElement> WaitForPhaseAsync(this HttpClient admin, string phase, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            JsonElement? rollout;
            using (var response = await admin.GetAsync("api/routes/shop/rollouts/current"))
            {
                rollout = response.StatusCode == HttpStatusCode.NotFound ? null : await response.EnsureSuccessStatusCode().ReadJsonAsync();
            }

            if (rollout?.GetProperty("phase").GetString() == phase)
            {
                return rollout.Value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"the rollout did not reach {phase}: {rollout?.ToString() ?? "no rollout (404)"}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Time from the rollout's first event to its last, by the gateway's clock.</summary>
    public static TimeSpan Duration(this JsonElement rollout)
    {
        var events = rollout.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("at").GetDateTimeOffset()).ToArray();
        return events[^1] - events[0];
    }
}
