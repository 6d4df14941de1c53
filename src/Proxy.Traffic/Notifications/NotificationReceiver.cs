using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Proxy.Traffic.Webhooks;

namespace Proxy.Traffic.Notifications;

/// <summary>
/// One receiver's queue and the worker that delivers it, in order, through the shared <see cref="WebhookSender"/>
/// (signed, with its timeout and retries). Each receiver has its own, so one that is down or slow delays no other; when its
/// queue is full, new notifications for it are dropped and counted.
/// </summary>
internal sealed partial class NotificationReceiver : IAsyncDisposable
{
    private readonly Channel<Notification> _queue;
    private readonly WebhookSender _sender;
    private readonly NotificationMetrics _metrics;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _worker;
    private long _droppedInRow;
    private int _stopped;

    public NotificationReceiver(NotificationWebhook webhook, int queueLength, WebhookSender sender, NotificationMetrics metrics, ILogger logger)
    {
        Webhook = webhook;
        QueueLength = queueLength;
        _sender = sender;
        _metrics = metrics;
        _logger = logger;
        _queue = Channel.CreateBounded<Notification>(new BoundedChannelOptions(queueLength)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite answers false when full: the drop is counted here
            SingleReader = true,
        });
        _worker = Task.Run(DeliverAsync);
    }

    public NotificationWebhook Webhook { get; }

    public int QueueLength { get; }

    /// <summary>Queues <paramref name="notification"/> without waiting; counts it as dropped when the queue is full.</summary>
    public void Offer(Notification notification)
    {
        if (_queue.Writer.TryWrite(notification))
        {
            if (Interlocked.Exchange(ref _droppedInRow, 0) is var dropped and > 0)
            {
                LogQueueRecovered(_logger, Webhook.Name, Webhook.Host, dropped);
            }

            return;
        }

        _metrics.Record(notification.Event, Webhook.Name, NotificationMetrics.Dropped);
        if (Volatile.Read(ref _stopped) == 0 && Interlocked.Increment(ref _droppedInRow) == 1)
        {
            LogQueueFull(_logger, Webhook.Name, Webhook.Host, QueueLength, notification.Event);
        }
    }

    /// <summary>
    /// Stops taking notifications and delivers those queued until <paramref name="cancellationToken"/> ends (at shutdown);
    /// what is left is counted as dropped.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        _queue.Writer.TryComplete();
        using (cancellationToken.Register(static stop => ((CancellationTokenSource)stop!).Cancel(), _stop))
        {
            await _worker.ConfigureAwait(false);
        }

        while (_queue.Reader.TryRead(out var left))
        {
            _metrics.Record(left.Event, Webhook.Name, NotificationMetrics.Dropped);
        }

        _stop.Dispose();
    }

    /// <summary>Stops at once (a receiver removed from the configuration): what is queued is counted as dropped.</summary>
    public async ValueTask DisposeAsync() => await StopAsync(new CancellationToken(canceled: true)).ConfigureAwait(false);

    private async Task DeliverAsync()
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                while (!_stop.IsCancellationRequested && _queue.Reader.TryRead(out var notification))
                {
                    await DeliverAsync(notification).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAsync(Notification notification)
    {
        var request = new WebhookRequest(
            Webhook.Url, NotificationBody.Of(Webhook.Format, notification), notification.Event, Webhook.Secret, Webhook.Timeout, Webhook.Retries);
        WebhookDelivery delivery;
        try
        {
            delivery = await _sender.SendAsync(request, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            _metrics.Record(notification.Event, Webhook.Name, NotificationMetrics.Dropped);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not the receiver's doing (the sender answers for all of that): still never the end of this receiver's worker.
            _metrics.Record(notification.Event, Webhook.Name, "unreachable");
            LogNotDelivered(_logger, notification.Event, Webhook.Name, Webhook.Host, ex.Message);
            return;
        }

        _metrics.Record(notification.Event, Webhook.Name, delivery.Tag);
        if (delivery.Succeeded)
        {
            LogDelivered(_logger, notification.Event, Webhook.Name, Webhook.Host, delivery.Attempts);
        }
        else
        {
            LogNotDelivered(_logger, notification.Event, Webhook.Name, Webhook.Host, delivery.Describe());
        }
    }

    [LoggerMessage(EventId = EventIds.NotificationNotDelivered, Level = LogLevel.Warning, Message = "Notification {Event} to {Receiver} ({Host}) not delivered: {Outcome}")]
    private static partial void LogNotDelivered(ILogger logger, string @event, string receiver, string host, string outcome);

    [LoggerMessage(EventId = EventIds.NotificationDelivered, Level = LogLevel.Debug, Message = "Notification {Event} delivered to {Receiver} ({Host}) in {Attempts} attempt(s)")]
    private static partial void LogDelivered(ILogger logger, string @event, string receiver, string host, int attempts);

    [LoggerMessage(EventId = EventIds.NotificationQueueFull, Level = LogLevel.Warning, Message = "Notifications to {Receiver} ({Host}): its queue of {QueueLength} is full (the receiver is slow or down); {Event} and the next ones are dropped until it catches up")]
    private static partial void LogQueueFull(ILogger logger, string receiver, string host, int queueLength, string @event);

    [LoggerMessage(EventId = EventIds.NotificationQueueRecovered, Level = LogLevel.Information, Message = "Notifications to {Receiver} ({Host}) are queued again; {Dropped} were dropped")]
    private static partial void LogQueueRecovered(ILogger logger, string receiver, string host, long dropped);
}
