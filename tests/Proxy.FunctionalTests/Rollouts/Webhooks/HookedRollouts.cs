using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Rollouts.Webhooks;

/// <summary>A gateway whose rollout webhooks are signed with a known secret and retried quickly, and plans that carry hooks.</summary>
public static class HookedRollouts
{
    public const string Secret = "functional-tests-webhook-secret";

    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    // Long next to the interval: on a loaded machine a window may be inconclusive; that must make the rollout wait.
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static Task<TestEnvironment> StartAsync() => TestEnvironment.StartAsync(
        ["blue", "canary"],
        Splits.Route("blue", new() { ["blue"] = 100, ["canary"] = 0 }, servedByHeader: Rollouts.ServedBy),
        Configure);

    /// <summary>The secret under <c>Rollouts:WebhookSecret</c>; retries 20 ms apart.</summary>
    public static void Configure(JsonObject config)
    {
        config["Rollouts"] = new JsonObject { ["WebhookSecret"] = Secret };
        config["Webhooks"] = new JsonObject { ["RetryDelay"] = "00:00:00.020", ["MaxRetryDelay"] = "00:00:00.100" };
    }

    public static object Plan(object[] steps, params object[] webhooks) => new
    {
        candidate = "canary",
        steps,
        analysis = new { interval = Interval.ToString("c"), minRequests = 15, maxErrorRate = 0.05, maxP99LatencyMs = 5000, inconclusiveTimeout = Patience.ToString("c") },
        webhooks,
    };

    public static object Hook(string name, string type, Uri? url, string? timeout = null, object? metadata = null) =>
        new { name, type, url = url?.ToString(), timeout, metadata };

    public static async Task<JsonElement> WaitForAsync(this HttpClient admin, Func<JsonElement, bool> condition, string what, TimeSpan? timeout = null)
    {
        var rollout = default(JsonElement);
        await Eventually.TrueAsync(async () => condition(rollout = await admin.GetRolloutAsync()), $"the rollout did not get to {what}: {rollout}", timeout ?? Patience);
        return rollout;
    }

    public static string? Gate(this JsonElement rollout) =>
        rollout.TryGetProperty("gate", out var gate) && gate.ValueKind == JsonValueKind.Object ? gate.GetProperty("hook").GetString() : null;

    public static string Phase(this JsonElement rollout) => rollout.GetProperty("phase").GetString()!;

    public static IEnumerable<string> Events(this JsonElement rollout) => rollout.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()!);

    public static async Task<HttpResponseMessage> ApproveAsync(this HttpClient admin, string? reason = null) =>
        await admin.PostAsync("api/routes/shop/rollouts/current/approve", reason is null ? null : new { reason });

    public static HttpStatusCode Status(int code) => (HttpStatusCode)code;
}
