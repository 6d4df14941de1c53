using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Proxy.Traffic.Telemetry;
using Proxy.Traffic.Webhooks;

namespace Proxy.Traffic.Rollouts.Webhooks;

/// <summary>
/// Calls rollout webhooks without ever making the rollout controller wait for one: a tick asks for a hook's answer, which
/// starts the call in the background and returns at once; a later tick takes the answer once it has come. So the
/// controller's gate (shared by every route's rollout) is never held across a network call, however slow a receiver is,
/// and a hook's timeout and retries only hold its own rollout. Calls go through the shared <see cref="WebhookSender"/>,
/// signed with <c>Rollouts:WebhookSecret</c>, and each outcome is counted in <c>proxy.rollout.webhooks</c> and logged.
/// </summary>
/// <remarks>Only the rollout controller calls <see cref="Ask"/>, under its gate; a restart forgets calls in flight, and the gates persisted with the rollout ask again.</remarks>
public sealed partial class RolloutHookCaller : IDisposable
{
    private readonly Func<WebhookRequest, CancellationToken, Task<WebhookDelivery>> _send;
    private readonly IOptionsMonitor<RolloutWebhookOptions> _options;
    private readonly RolloutWebhookMetrics? _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<(string Route, string Hook), Call> _calls = [];
    private readonly ConcurrentDictionary<Task, byte> _pending = new();
    private readonly ConcurrentQueue<FinishedCall> _afterRollout = new();
    private int _warnedUnsigned;

    public RolloutHookCaller(WebhookSender sender, IOptionsMonitor<RolloutWebhookOptions> options, IMeterFactory meterFactory, TimeProvider time, ILogger<RolloutHookCaller> logger)
        : this(sender.SendAsync, options, new RolloutWebhookMetrics(meterFactory), time, logger)
    {
    }

    internal RolloutHookCaller(
        Func<WebhookRequest, CancellationToken, Task<WebhookDelivery>> send, IOptionsMonitor<RolloutWebhookOptions> options, RolloutWebhookMetrics? metrics, TimeProvider time, ILogger logger)
    {
        _send = send;
        _options = options;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Attempts after the first per type: a gate and the kill switch are asked again every interval anyway, an analysis
    /// should not fail on one lost packet, and the once-only hooks have nothing else to retry them.
    /// </summary>
    public static int RetriesOf(RolloutWebhookType type) => type switch
    {
        RolloutWebhookType.Rollout => 1,
        RolloutWebhookType.PreRollout or RolloutWebhookType.PostRollout => 3,
        _ => 0,
    };

    /// <summary>
    /// The latest answer of <paramref name="hook"/> for <paramref name="occasion"/> (a gate's move, an analysis window),
    /// or null while none came. Starts a call when none was made for the occasion yet, or when the last one was answered
    /// and started at least <paramref name="every"/> ago (a gate is asked again every interval).
    /// </summary>
    internal HookAnswer? Ask(RolloutState rollout, RolloutWebhook hook, string occasion, TimeSpan every, Func<byte[]> body)
    {
        var key = (rollout.RouteId, hook.Name);
        var now = _time.GetUtcNow();
        _calls.TryGetValue(key, out var call);
        if (call is null || call.RolloutId != rollout.Id || call.Occasion != occasion
            || (call.Task.IsCompleted && (call.Task.Result is null || (call.Answer is not null && now - call.StartedAt >= every))))
        {
            var previous = call?.RolloutId == rollout.Id ? call.Answer ?? call.Previous : null;
            call = new Call(rollout.Id, occasion, now, Send(hook, body())) { Previous = previous };
            _calls[key] = call;
        }

        if (!call.Task.IsCompleted || call.Task.Result is not { } delivery)
        {
            return null;
        }

        var fresh = call.Answer is null;
        if (fresh)
        {
            call.Answer = delivery.Describe();
            Record(rollout.RouteId, rollout.Id, hook, delivery, call.Answer);
        }

        return new HookAnswer(delivery, fresh, Changed: call.Answer != call.Previous);
    }

    /// <summary>Calls a post-rollout hook of a rollout that ended; its outcome is logged, counted and handed to <see cref="TakeFinishedAfterRollout"/>.</summary>
    internal void CallAfterRollout(RolloutState rollout, RolloutWebhook hook, byte[] body)
    {
        var routeId = rollout.RouteId;
        var rolloutId = rollout.Id;
        var sent = Send(hook, body);
        var recorded = sent.ContinueWith(
            t =>
            {
                if (t.Result is { } delivery)
                {
                    Record(routeId, rolloutId, hook, delivery, delivery.Describe());
                    _afterRollout.Enqueue(new FinishedCall(routeId, rolloutId, hook, delivery));
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        Track(recorded);
    }

    /// <summary>The post-rollout calls answered since the last time, for the rollouts' events.</summary>
    internal IReadOnlyList<FinishedCall> TakeFinishedAfterRollout()
    {
        var finished = new List<FinishedCall>();
        while (_afterRollout.TryDequeue(out var call))
        {
            finished.Add(call);
        }

        return finished;
    }

    /// <summary>True while a call is in flight or a post-rollout call's answer has not been taken yet.</summary>
    internal bool HasCallsOutstanding => !_pending.IsEmpty || !_afterRollout.IsEmpty;

    /// <summary>Waits until every call started so far has ended (tests, and a controller stopping).</summary>
    internal Task WhenIdleAsync() => Task.WhenAll(_pending.Keys);

    /// <summary>Ends the calls in flight: the process is stopping (their rollouts ask again after the restart).</summary>
    public void Stop() => _stopping.Cancel();

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private void Record(string routeId, long rolloutId, RolloutWebhook hook, WebhookDelivery delivery, string described)
    {
        var type = hook.Type.Name();
        _metrics?.RecordCall(routeId, type, delivery.Tag);
        LogCalled(_logger, routeId, rolloutId, type, hook.Name, described, delivery.Attempts, delivery.Elapsed.TotalMilliseconds);
    }

    // Null when the call was given up because the gateway is stopping: that is no answer of the receiver.
    private Task<WebhookDelivery?> Send(RolloutWebhook hook, byte[] body)
    {
        var secret = _options.CurrentValue.WebhookSecret;
        if (string.IsNullOrEmpty(secret) && Interlocked.Exchange(ref _warnedUnsigned, 1) == 0)
        {
            LogUnsigned(_logger, RolloutWebhookOptions.SectionName + ":" + nameof(RolloutWebhookOptions.WebhookSecret));
        }

        var request = new WebhookRequest(hook.Url!, body, hook.Type.Name(), secret, hook.Timeout, RetriesOf(hook.Type));
        var task = SendAsync(request);
        Track(task);
        return task;
    }

    private async Task<WebhookDelivery?> SendAsync(WebhookRequest request)
    {
        try
        {
            return await _send(request, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The sender answers every ending of the receiver's doing; anything else is still no 2xx, never a stuck gate.
            return new WebhookDelivery(WebhookOutcome.Unreachable, null, null, ex.Message, 1, TimeSpan.Zero);
        }
    }

    private void Track(Task task)
    {
        _pending.TryAdd(task, 0);
        task.ContinueWith(t => _pending.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    [LoggerMessage(EventId = EventIds.RolloutWebhookCalled, Level = LogLevel.Information, Message = "Route {RouteId}: rollout {RolloutId} {Type} hook {Hook} {Outcome} ({Attempts} attempts, {ElapsedMs:0} ms)")]
    private static partial void LogCalled(ILogger logger, string routeId, long rolloutId, string type, string hook, string outcome, int attempts, double elapsedMs);

    [LoggerMessage(EventId = EventIds.RolloutWebhooksUnsigned, Level = LogLevel.Warning, Message = "Rollout webhooks are sent unsigned: set {Setting} so that receivers can check X-Proxy-Signature")]
    private static partial void LogUnsigned(ILogger logger, string setting);

    // One call of a hook for an occasion; replaced by the next.
    private sealed class Call(long rolloutId, string occasion, DateTimeOffset startedAt, Task<WebhookDelivery?> task)
    {
        public long RolloutId { get; } = rolloutId;

        public string Occasion { get; } = occasion;

        public DateTimeOffset StartedAt { get; } = startedAt;

        public Task<WebhookDelivery?> Task { get; } = task;

        // The answer in words once taken; the previous call's, to tell a changed answer from a repeated one.
        public string? Answer { get; set; }

        public string? Previous { get; init; }
    }
}

/// <summary>A hook's answer: the delivery; whether this is the first time it is given; whether it differs from the hook's previous answer in the rollout.</summary>
internal sealed record HookAnswer(WebhookDelivery Delivery, bool Fresh, bool Changed);

/// <summary>A post-rollout call that was answered: the rollout it was about and how it ended.</summary>
internal sealed record FinishedCall(string RouteId, long RolloutId, RolloutWebhook Hook, WebhookDelivery Delivery);
