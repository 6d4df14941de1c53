using System.Diagnostics.Metrics;
using Proxy.Traffic.Telemetry;

namespace Proxy.Traffic.Notifications;

/// <summary>
/// <c>proxy.notifications</c> (meter <see cref="TrafficTelemetry.MeterName"/>): every notification by event, receiver and
/// outcome. The tags are bounded: event names, the configured receivers' names, five outcomes; never a URL.
/// </summary>
public sealed class NotificationMetrics
{
    /// <summary>Metric tag: the notification's event (<c>rollout.promoted</c>…), or the stream kind (<c>rollout</c>…) for an event dropped before it was read.</summary>
    public const string EventTag = "proxy.event";

    /// <summary>Metric tag: the receiver's name (<c>*</c> for an event dropped before it reached any receiver).</summary>
    public const string ReceiverTag = "proxy.receiver";

    /// <summary>The outcome of a notification that never left its queue.</summary>
    public const string Dropped = "dropped";

    private readonly Counter<long> _notifications;

    public NotificationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(TrafficTelemetry.MeterName);
        _notifications = meter.CreateCounter<long>(
            "proxy.notifications",
            "{notification}",
            "Notifications by event, receiver and outcome (delivered, refused, timed_out, unreachable, dropped: the receiver's queue was full).");
    }

    internal void Record(string @event, string receiver, string outcome) => _notifications.Add(
        1,
        new KeyValuePair<string, object?>(EventTag, @event),
        new KeyValuePair<string, object?>(ReceiverTag, receiver),
        new KeyValuePair<string, object?>(TrafficTelemetry.OutcomeTag, outcome));
}
