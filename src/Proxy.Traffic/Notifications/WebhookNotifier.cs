using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Proxy.Traffic.Events;
using Proxy.Traffic.Rollouts.Coordination;
using Proxy.Traffic.Webhooks;

namespace Proxy.Traffic.Notifications;

/// <summary>
/// Posts notifications to the <c>Notifications:Webhooks</c> receivers: reads the event stream's subscription
/// (<see cref="NotificationIntake"/>), derives what to tell (<see cref="NotificationDeriver"/>) and hands each
/// notification to the queue of every receiver that asked for it. Nothing here waits for a receiver, so no request, rollout
/// or stream ever waits for one. The receivers follow the configuration: a new good version is in force at once, and a
/// receiver it keeps unchanged keeps its queue.
/// </summary>
internal sealed partial class WebhookNotifier : BackgroundService
{
    /// <summary>How long a stopping gateway may spend delivering what is queued.</summary>
    public static readonly TimeSpan ShutdownDrain = TimeSpan.FromSeconds(3);

    private readonly NotificationIntake _intake;
    private readonly ProxyEventHub _stream;
    private readonly IOptionsMonitor<NotificationOptions> _options;
    private readonly WebhookSender _sender;
    private readonly NotificationMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookNotifier> _logger;
    private readonly NotificationDeriver _deriver;
    private readonly Lock _lock = new();
    private NotificationReceiver[] _receivers = [];
    private IDisposable? _onChange;
    private long _reportedIntakeDrops;

    public WebhookNotifier(
        NotificationIntake intake,
        ProxyEventHub stream,
        IOptionsMonitor<NotificationOptions> options,
        WebhookSender sender,
        IRolloutCoordination coordination,
        NotificationMetrics metrics,
        TimeProvider time,
        ILogger<WebhookNotifier> logger)
    {
        _intake = intake;
        _stream = stream;
        _options = options;
        _sender = sender;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _deriver = new NotificationDeriver(coordination.Instance, coordination.IsShared, intake.Since);
    }

    /// <summary>The receivers in force.</summary>
    internal IReadOnlyList<NotificationReceiver> InForce => Volatile.Read(ref _receivers);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        Apply(_options.CurrentValue);
        _onChange = _options.OnChange(options => Apply(options));
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _onChange?.Dispose();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        using var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        drain.CancelAfter(ShutdownDrain);
        NotificationReceiver[] stopping;
        lock (_lock)
        {
            stopping = _receivers;
            _receivers = [];
        }

        await Task.WhenAll(stopping.Select(r => r.StopAsync(drain.Token))).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var @event in _intake.Events.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                Dispatch(@event);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Derives the event's notifications and queues each for the receivers that want it.</summary>
    internal void Dispatch(ProxyEvent @event)
    {
        if (_intake.Dropped is var dropped && dropped != _reportedIntakeDrops)
        {
            LogIntakeDropped(_logger, dropped - _reportedIntakeDrops, NotificationIntake.Capacity);
            _reportedIntakeDrops = dropped;
        }

        IReadOnlyList<Notification> notifications;
        try
        {
            notifications = _deriver.Derive(@event, _stream.IdOf(@event), _time.GetUtcNow());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Never the end of the notifier (a background service that throws stops the host): this event is lost, logged.
            LogUnreadableEvent(_logger, @event.Kind, ex);
            return;
        }

        var receivers = Volatile.Read(ref _receivers);
        foreach (var notification in notifications)
        {
            foreach (var receiver in receivers)
            {
                if (receiver.Webhook.Wants(notification))
                {
                    receiver.Offer(notification);
                }
            }
        }
    }

    // A reload keeps the receivers it leaves unchanged (with their queues), starts the new ones and stops the removed ones.
    private void Apply(NotificationOptions options)
    {
        NotificationReceiver[] removed;
        lock (_lock)
        {
            // By identity, several each: two entries may be the same receiver twice.
            var kept = _receivers.GroupBy(r => (r.Webhook.Identity, r.QueueLength)).ToDictionary(g => g.Key, g => new Queue<NotificationReceiver>(g));
            var next = new List<NotificationReceiver>(options.Webhooks.Count);
            foreach (var webhook in options.Webhooks.Select(NotificationWebhook.From))
            {
                next.Add(kept.TryGetValue((webhook.Identity, options.QueueLength), out var same) && same.TryDequeue(out var receiver)
                    ? receiver
                    : new NotificationReceiver(webhook, options.QueueLength, _sender, _metrics, _logger));
            }

            removed = [.. kept.Values.SelectMany(r => r)];
            if (removed.Length == 0 && next.SequenceEqual(_receivers))
            {
                return; // another section changed
            }

            Volatile.Write(ref _receivers, [.. next]);
            var described = string.Join(", ", next.Select(r => $"{r.Webhook.Name} ({r.Webhook.Host}, {r.Webhook.Format}: {string.Join(' ', r.Webhook.Events)})"));
            LogReceivers(_logger, next.Count, described);
        }

        foreach (var receiver in removed)
        {
            _ = receiver.DisposeAsync().AsTask();
        }
    }

    [LoggerMessage(EventId = EventIds.NotificationReceivers, Level = LogLevel.Information, Message = "Notifications: {Count} webhook receiver(s) in force: {Receivers}")]
    private static partial void LogReceivers(ILogger logger, int count, string receivers);

    [LoggerMessage(EventId = EventIds.NotificationIntakeDropped, Level = LogLevel.Error, Message = "Notifications: {Count} event(s) of the stream dropped, the notifier fell {Capacity} events behind; the notifications they carried are lost")]
    private static partial void LogIntakeDropped(ILogger logger, long count, int capacity);

    [LoggerMessage(EventId = EventIds.NotificationUnreadableEvent, Level = LogLevel.Error, Message = "Notifications: a {Kind} event could not be turned into notifications")]
    private static partial void LogUnreadableEvent(ILogger logger, string kind, Exception exception);
}
