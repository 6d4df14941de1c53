using System.Text;
using System.Text.Json;

namespace Proxy.Traffic.Notifications;

/// <summary>
/// The body of a notification call: <c>json</c> (the event, where and when, in words, and the stream event's data) or
/// <c>slack</c> (<c>{"text": …}</c> in Slack's mrkdwn, which Slack's and Teams' incoming webhooks both show).
/// </summary>
internal static class NotificationBody
{
    public static byte[] Of(string format, Notification notification) =>
        string.Equals(format, NotificationWebhookOptions.SlackFormat, StringComparison.OrdinalIgnoreCase) ? Slack(notification) : Json(notification);

    /// <summary><c>{"id", "event", "at", "route", "routes", "instance", "summary", "detail", "data"}</c>.</summary>
    public static byte[] Json(Notification notification)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", notification.Id);
            json.WriteString("event", notification.Event);
            json.WriteString("at", notification.At);
            json.WriteString("route", notification.Route);
            json.WriteStartArray("routes");
            foreach (var route in notification.Routes)
            {
                json.WriteStringValue(route);
            }

            json.WriteEndArray();
            json.WriteString("instance", notification.Instance);
            json.WriteString("summary", notification.Summary);
            json.WriteString("detail", notification.Detail);
            json.WritePropertyName("data");
            json.WriteRawValue(notification.Data);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary><c>{"text": "*summary*\ndetail"}</c>.</summary>
    public static byte[] Slack(Notification notification)
    {
        var text = new StringBuilder().Append('*').Append(Escape(notification.Summary)).Append('*');
        if (notification.Detail is { } detail)
        {
            text.Append('\n').Append(Escape(detail));
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("text", text.ToString());
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    // Slack reads <…> as links and mentions and & as an entity: the three must be escaped in message text.
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal);
}
