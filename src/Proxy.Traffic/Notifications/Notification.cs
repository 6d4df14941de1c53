namespace Proxy.Traffic.Notifications;

/// <summary>One notification: what happened (<see cref="NotificationEvents"/>), where, in words, and the stream event it comes from.</summary>
/// <param name="Event">Its event name, e.g. <c>rollout.rolled_back</c>.</param>
/// <param name="Id">The id of the stream event it comes from (<c>GET /api/events</c>); with <see cref="Event"/>, unique on this instance.</param>
/// <param name="At">When the gateway noticed it.</param>
/// <param name="Routes">The routes it concerns; empty for the whole gateway (configuration, certificates).</param>
/// <param name="Instance">The gateway instance that sends it: the rollout's leader, or the instance whose breaker, configuration or certificate it is.</param>
/// <param name="Summary">One line saying what happened.</param>
/// <param name="Detail">Why, and the figures, when there is more to say.</param>
/// <param name="Data">The stream event's data, as JSON.</param>
public sealed record Notification(
    string Event, string Id, DateTimeOffset At, IReadOnlyList<string> Routes, string Instance, string Summary, string? Detail, string Data)
{
    /// <summary>The route, when the notification concerns exactly one.</summary>
    public string? Route => Routes.Count == 1 ? Routes[0] : null;
}
