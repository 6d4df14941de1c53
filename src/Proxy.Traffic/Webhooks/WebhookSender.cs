using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Proxy.Traffic.Webhooks;

/// <summary>
/// Sends webhook calls, for rollout hooks and notifications alike: a signed JSON POST with a timeout per attempt and
/// retries with exponential backoff and jitter (Polly) when the receiver cannot be reached, times out or answers 408, 429
/// or 5xx. Redirects are not followed (a signed call goes where it was configured to go). Never throws for the receiver's
/// doing: every ending is a <see cref="WebhookDelivery"/>.
/// </summary>
public sealed class WebhookSender
{
    /// <summary>The name of the <see cref="HttpClient"/> the sender uses.</summary>
    public const string HttpClientName = "Proxy.Webhooks";

    /// <summary>How much of an answer's body is kept for reasons and events.</summary>
    public const int KeptAnswerChars = 512;

    /// <summary>The most retries a call may ask for.</summary>
    public const int MaxRetries = 10;

    private static readonly ResiliencePropertyKey<WebhookRequest> RequestKey = new("webhook.request");
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    private readonly IHttpClientFactory _clients;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline<Answer> _pipeline;

    public WebhookSender(IHttpClientFactory clients, IOptions<WebhookDeliveryOptions> options, TimeProvider time)
    {
        _clients = clients;
        _time = time;
        _pipeline = new ResiliencePipelineBuilder<Answer> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<Answer>
            {
                MaxRetryAttempts = MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.Value.RetryDelay,
                MaxDelay = options.Value.MaxRetryDelay,
                ShouldHandle = static args => ValueTask.FromResult(
                    args.AttemptNumber < args.Context.Properties.GetValue(RequestKey, null!).Retries
                    && (args.Outcome.Exception is HttpRequestException or TimeoutRejectedException || args.Outcome.Result is { Transient: true })),
            })
            .AddTimeout(new TimeoutStrategyOptions
            {
                TimeoutGenerator = static args => ValueTask.FromResult(args.Context.Properties.GetValue(RequestKey, null!).Timeout),
            })
            .Build();
    }

    /// <summary>Sends <paramref name="request"/>; returns how it ended. Only <paramref name="cancellationToken"/> ends it early (and throws).</summary>
    public async Task<WebhookDelivery> SendAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(request.Retries);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(request.Retries, MaxRetries);
        var started = _time.GetTimestamp();
        var call = new Call(this, request);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestKey, request);
        Outcome<Answer> outcome;
        try
        {
            outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (ctx, call) =>
                {
                    call.Attempts++;
                    try
                    {
                        // An attempt's timeout shows here as a cancellation, which the timeout strategy turns into a
                        // TimeoutRejectedException; the caller's own cancellation is handled by neither and rethrown below.
                        return Outcome.FromResult(await call.Sender.AttemptAsync(call.Request, ctx.CancellationToken).ConfigureAwait(false));
                    }
                    catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
                    {
                        return Outcome.FromException<Answer>(ex);
                    }
                },
                context,
                call).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var elapsed = _time.GetElapsedTime(started);
        return outcome switch
        {
            { Result: { } answer } => new WebhookDelivery(
                (int)answer.Status is >= 200 and < 300 ? WebhookOutcome.Delivered : WebhookOutcome.Refused, answer.Status, answer.Body, null, call.Attempts, elapsed),
            { Exception: HttpRequestException ex } => new WebhookDelivery(WebhookOutcome.Unreachable, null, null, ex.Message, call.Attempts, elapsed),
            _ => new WebhookDelivery(WebhookOutcome.TimedOut, null, null, $"no answer within {request.Timeout:c}", call.Attempts, elapsed),
        };
    }

    private async Task<Answer> AttemptAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Url) { Content = new ByteArrayContent(request.Body) };
        message.Content.Headers.ContentType = Json;
        message.Headers.TryAddWithoutValidation("X-Proxy-Event", request.Event);
        if (request.Secret is { Length: > 0 } secret)
        {
            message.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(secret, request.Body));
        }

        using var response = await _clients.CreateClient(HttpClientName)
            .SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return new Answer(response.StatusCode, await ReadStartAsync(response.Content, cancellationToken).ConfigureAwait(false));
    }

    // Only the start of an answer is kept: a receiver that streams megabytes must not cost memory.
    private static async Task<string?> ReadStartAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var buffer = new byte[KeptAnswerChars * 4];
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var filled = 0;
        int read;
        while (filled < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false)) > 0)
        {
            filled += read;
        }

        if (filled == 0)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(buffer, 0, filled);
        return text.Length <= KeptAnswerChars ? text : text[..KeptAnswerChars];
    }

    // The state of one call across its attempts.
    private sealed class Call(WebhookSender sender, WebhookRequest request)
    {
        public WebhookSender Sender { get; } = sender;

        public WebhookRequest Request { get; } = request;

        public int Attempts { get; set; }
    }

    private sealed record Answer(HttpStatusCode Status, string? Body)
    {
        public bool Transient => Status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)Status >= 500;
    }
}
