namespace Proxy.Traffic.Notifications;

/// <summary>The <c>Notifications</c> section: where the gateway posts what happened (rollouts, breakers, refused configuration).</summary>
public sealed class NotificationOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Notifications";

    /// <summary>The receivers; none by default.</summary>
    public List<NotificationWebhookOptions> Webhooks { get; set; } = [];

    /// <summary>Notifications waiting for one receiver; more are dropped (and counted) rather than held in memory.</summary>
    public int QueueLength { get; set; } = 256;
}

/// <summary>One notification receiver: <c>Notifications:Webhooks:{n}</c>.</summary>
public sealed class NotificationWebhookOptions
{
    /// <summary>The message formats.</summary>
    public const string JsonFormat = "json";

    /// <summary>A <c>{"text": …}</c> message that Slack's and Teams' incoming webhooks show as it is.</summary>
    public const string SlackFormat = "slack";

    /// <summary>How the receiver is named in logs and metrics; by default the URL's host (a URL's path and query may carry a token and are never shown).</summary>
    public string? Name { get; set; }

    /// <summary>The receiver: an absolute http or https URL.</summary>
    public string? Url { get; set; }

    /// <summary>What to send: event names (<c>rollout.promoted</c>), groups (<c>rollout.*</c>) or <c>*</c>.</summary>
    public List<string> Events { get; set; } = [];

    /// <summary><c>json</c> (the default: the event and its data) or <c>slack</c> (readable text).</summary>
    public string Format { get; set; } = JsonFormat;

    /// <summary>The key of the <c>X-Proxy-Signature</c> HMAC of each body; none sends the calls unsigned.</summary>
    public string? Secret { get; set; }

    /// <summary>Only events about these routes (and those about the whole gateway: refused configuration or certificates); none: every route.</summary>
    public List<string> Routes { get; set; } = [];

    /// <summary>How long one attempt may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts after the first when the receiver cannot be reached, times out or answers 408, 429 or 5xx.</summary>
    public int Retries { get; set; } = 3;
}
