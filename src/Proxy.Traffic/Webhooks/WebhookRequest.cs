namespace Proxy.Traffic.Webhooks;

/// <summary>One webhook call: a JSON body POSTed to <paramref name="Url"/>, signed when a secret is given.</summary>
/// <param name="Url">The receiver (absolute http or https).</param>
/// <param name="Body">The UTF-8 JSON body, sent as it is and signed as it is.</param>
/// <param name="Event">What the call is about, sent as <c>X-Proxy-Event</c> (a hook type or a notification's event).</param>
/// <param name="Secret">The HMAC key of <see cref="WebhookSignature"/>; none sends the call unsigned.</param>
/// <param name="Timeout">How long one attempt may take, answer included.</param>
/// <param name="Retries">Attempts after the first when the receiver cannot be reached, times out or answers 408, 429 or 5xx.</param>
public sealed record WebhookRequest(Uri Url, byte[] Body, string Event, string? Secret, TimeSpan Timeout, int Retries);
