using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Proxy.Traffic.Rollouts.Webhooks;
using Proxy.Traffic.Webhooks;

namespace Proxy.Traffic.Tests.Rollouts.Webhooks;

/// <summary>
/// Webhook receivers for unit tests on fake time: every call a rollout makes is recorded and answered as the test scripts it,
/// at once or, for a receiver that takes its time, when the test completes it. Real HTTP is in the functional tests.
/// </summary>
internal sealed class ScriptedHooks
{
    private readonly List<TaskCompletionSource<WebhookDelivery>> _pending = [];

    /// <summary>The calls made, in order.</summary>
    public List<WebhookRequest> Calls { get; } = [];

    /// <summary>The answer to a call (default 200); null leaves it in flight until <see cref="Complete"/>.</summary>
    public Func<WebhookRequest, WebhookDelivery?> Answer { get; set; } = _ => Status(200);

    /// <summary>The caller the rollout controller uses, sending through this script.</summary>
    public RolloutHookCaller? Caller { get; private set; }

    public static WebhookDelivery Status(int status, string? body = null) =>
        new(status is >= 200 and < 300 ? WebhookOutcome.Delivered : WebhookOutcome.Refused, (HttpStatusCode)status, body, null, 1, TimeSpan.FromMilliseconds(3));

    public static WebhookDelivery Unreachable() => new(WebhookOutcome.Unreachable, null, null, "Connection refused (hooks.test:80)", 1, TimeSpan.FromMilliseconds(1));

    public static Uri Url(string hook) => new($"http://hooks.test/{hook}");

    /// <summary>Calls of the hook named <paramref name="hook"/>.</summary>
    public int CallsOf(string hook) => Calls.Count(c => c.Url == Url(hook));

    public RolloutHookCaller CallerOn(FakeTimeProvider time) =>
        Caller = new RolloutHookCaller(SendAsync, new FixedOptions(new RolloutWebhookOptions { WebhookSecret = "unit-test-secret-0123" }), null, time, NullLogger.Instance);

    /// <summary>Answers every call still in flight.</summary>
    public void Complete(WebhookDelivery answer)
    {
        foreach (var call in _pending)
        {
            call.TrySetResult(answer);
        }

        _pending.Clear();
    }

    private Task<WebhookDelivery> SendAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        Calls.Add(request);
        if (Answer(request) is { } answer)
        {
            return Task.FromResult(answer);
        }

        var pending = new TaskCompletionSource<WebhookDelivery>(TaskCreationOptions.RunContinuationsAsynchronously);
        cancellationToken.Register(() => pending.TrySetCanceled(cancellationToken));
        _pending.Add(pending);
        return pending.Task;
    }

    private sealed class FixedOptions(RolloutWebhookOptions value) : IOptionsMonitor<RolloutWebhookOptions>
    {
        public RolloutWebhookOptions CurrentValue => value;

        public RolloutWebhookOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<RolloutWebhookOptions, string?> listener) => null;
    }
}
