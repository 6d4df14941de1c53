using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.Notifications;
using Proxy.Traffic.Telemetry;

namespace Proxy.FunctionalTests.Notifications;

/// <summary>Notification receivers in a test gateway's configuration, and what they received.</summary>
public static class Notifications
{
    public const string Secret = "notification-secret-for-tests";

    private static readonly JsonSerializerOptions IgnoreNulls = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>One <c>Notifications:Webhooks</c> entry.</summary>
    public static object Hook(Uri url, string[] events, string format = "json", string? secret = null, string? name = null, TimeSpan? timeout = null, int? retries = null) => new
    {
        Name = name,
        Url = url.ToString(),
        Events = events,
        Format = format,
        Secret = secret,
        Timeout = timeout?.ToString("c"),
        Retries = retries,
    };

    /// <summary>Edits a test configuration: these receivers, and retries quick enough for a test.</summary>
    public static Action<JsonObject> Configure(object[] hooks, int? queueLength = null) => config =>
    {
        config["Notifications"] = JsonSerializer.SerializeToNode(new { Webhooks = hooks, QueueLength = queueLength }, IgnoreNulls);
        config["Webhooks"] = new JsonObject { ["RetryDelay"] = "00:00:00.050", ["MaxRetryDelay"] = "00:00:00.200" };
    };

    /// <summary>The <c>X-Proxy-Event</c> of each call, in order of arrival.</summary>
    public static List<string?> Events(this WebhookReceiver receiver) => [.. receiver.Calls.Select(c => c.Event)];

    public static JsonElement Json(this ReceivedWebhook call)
    {
        using var document = JsonDocument.Parse(call.Body);
        return document.RootElement.Clone();
    }

    /// <summary>Waits until the receiver has a call for <paramref name="event"/>, and returns the first.</summary>
    public static async Task<ReceivedWebhook> CallAsync(this WebhookReceiver receiver, string @event, TimeSpan? timeout = null)
    {
        await Eventually.TrueAsync(() => receiver.Calls.Any(c => c.Event == @event), $"no {@event} notification came; received: {string.Join(", ", receiver.Events())}", timeout);
        return receiver.Calls.First(c => c.Event == @event);
    }

    /// <summary>Collects <c>proxy.notifications</c>.</summary>
    public static MetricCollector<long> Collect(TestEnvironment env) =>
        new(env.Services.GetRequiredService<IMeterFactory>(), TrafficTelemetry.MeterName, "proxy.notifications");

    /// <summary>One receiver's outcomes with their counts, for a failure message: "unreachable=4, refused=1".</summary>
    public static string Outcomes(this MetricCollector<long> collector, string receiver) => string.Join(", ", collector.GetMeasurementSnapshot()
        .Where(m => (string?)m.Tags[NotificationMetrics.ReceiverTag] == receiver)
        .GroupBy(m => (string?)m.Tags[TrafficTelemetry.OutcomeTag])
        .Select(g => $"{g.Key}={g.Sum(m => m.Value)}"));

    /// <summary>Counted notifications of one receiver (and outcome, when given).</summary>
    public static long Counted(this MetricCollector<long> collector, string receiver, string? outcome = null) => collector.GetMeasurementSnapshot()
        .Where(m => (string?)m.Tags[NotificationMetrics.ReceiverTag] == receiver && (outcome is null || (string?)m.Tags[TrafficTelemetry.OutcomeTag] == outcome))
        .Sum(m => m.Value);
}
