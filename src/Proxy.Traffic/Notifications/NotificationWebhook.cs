using System.Collections.Frozen;

namespace Proxy.Traffic.Notifications;

/// <summary>One receiver's settings as they are in force (validated and normalised from <see cref="NotificationWebhookOptions"/>).</summary>
internal sealed record NotificationWebhook(
    string Name, Uri Url, string Format, string? Secret, TimeSpan Timeout, int Retries, IReadOnlyList<string> Events, FrozenSet<string> Routes)
{
    public static NotificationWebhook From(NotificationWebhookOptions options)
    {
        var url = new Uri(options.Url!, UriKind.Absolute);
        return new NotificationWebhook(
            options.Name ?? url.Authority,
            url,
            options.Format.ToLowerInvariant(),
            options.Secret,
            options.Timeout,
            options.Retries,
            [.. options.Events],
            options.Routes.ToFrozenSet(StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>The URL's host and port, the only part of it that is ever shown (its path and query may carry a token).</summary>
    public string Host => Url.Authority;

    /// <summary>What makes two versions of the configuration the same receiver, so that a reload keeps its queue.</summary>
    public string Identity => string.Join(
        '\n', Name, Url.OriginalString, Format, Secret ?? "", Timeout.Ticks, Retries, string.Join(',', Events), string.Join(',', Routes.Order(StringComparer.OrdinalIgnoreCase)));

    /// <summary>True when the receiver asked for <paramref name="notification"/>.</summary>
    public bool Wants(Notification notification) =>
        Events.Any(pattern => NotificationEvents.Covers(pattern, notification.Event))
        && (Routes.Count == 0 || notification.Routes.Count == 0 || notification.Routes.Any(Routes.Contains));
}
