using System.Net;

namespace Proxy.Traffic.Webhooks;

/// <summary>How a webhook call ended.</summary>
public enum WebhookOutcome
{
    /// <summary>The receiver answered 2xx.</summary>
    Delivered,

    /// <summary>The receiver answered, but not 2xx (after the retries a 408, 429 or 5xx earns).</summary>
    Refused,

    /// <summary>No attempt was answered within its timeout.</summary>
    TimedOut,

    /// <summary>No connection could be made (refused, reset, no route, DNS).</summary>
    Unreachable,
}

/// <summary>The outcome of a webhook call, after its retries.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Status">The last answer's status code, if one came.</param>
/// <param name="Answer">The start of the last answer's body (at most <see cref="WebhookSender.KeptAnswerChars"/> characters), if any.</param>
/// <param name="Error">Why no answer came, when none did.</param>
/// <param name="Attempts">Attempts made.</param>
/// <param name="Elapsed">Time from the first attempt to the end of the last.</param>
public sealed record WebhookDelivery(WebhookOutcome Outcome, HttpStatusCode? Status, string? Answer, string? Error, int Attempts, TimeSpan Elapsed)
{
    /// <summary>True when the receiver answered 2xx.</summary>
    public bool Succeeded => Outcome == WebhookOutcome.Delivered;

    /// <summary>The outcome in words for events and reasons: "200", "refused with 503: not ready", "timed out after 2 attempts".</summary>
    public string Describe() => Outcome switch
    {
        WebhookOutcome.Delivered => $"answered {(int)Status!.Value}",
        WebhookOutcome.Refused => $"answered {(int)Status!.Value}" + (string.IsNullOrWhiteSpace(Answer) ? "" : $": {Answer.Trim()}"),
        WebhookOutcome.TimedOut => $"timed out after {Attempts} attempt{(Attempts == 1 ? "" : "s")}",
        _ => $"unreachable after {Attempts} attempt{(Attempts == 1 ? "" : "s")}: {Error}",
    };

    /// <summary>The outcome as a metric tag: delivered, refused, timed_out, unreachable.</summary>
    public string Tag => Outcome switch
    {
        WebhookOutcome.Delivered => "delivered",
        WebhookOutcome.Refused => "refused",
        WebhookOutcome.TimedOut => "timed_out",
        _ => "unreachable",
    };
}
