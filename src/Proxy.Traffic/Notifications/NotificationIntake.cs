using System.Threading.Channels;
using Proxy.Traffic.Events;

namespace Proxy.Traffic.Notifications;

/// <summary>
/// The notifications' subscription to the event stream: from the stream's first event on (it is registered with the
/// stream, not connected later), the kinds that can become a notification go into a bounded queue that the notifier
/// reads. Taking an event never waits; one the queue cannot take is counted, never lost silently.
/// </summary>
internal sealed class NotificationIntake : IProxyEventListener
{
    /// <summary>Events waiting to be read; the notifier reads them without any I/O, so only a starved process fills it.</summary>
    public const int Capacity = 4096;

    private readonly Channel<ProxyEvent> _events = Channel.CreateBounded<ProxyEvent>(new BoundedChannelOptions(Capacity)
    {
        // Wait: TryWrite answers false on a full queue (DropWrite would drop without saying so).
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    private readonly NotificationMetrics _metrics;
    private long _dropped;

    public NotificationIntake(NotificationMetrics metrics, TimeProvider timeProvider)
    {
        _metrics = metrics;
        Since = timeProvider.GetUtcNow();
    }

    /// <summary>When the subscription began: rollouts started before are not announced.</summary>
    public DateTimeOffset Since { get; }

    /// <summary>The events to turn into notifications, in the stream's order.</summary>
    public ChannelReader<ProxyEvent> Events => _events.Reader;

    /// <summary>Events dropped since start-up because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void OnEvent(ProxyEvent published)
    {
        if (published.Kind is not (ProxyEventKinds.Rollout or ProxyEventKinds.Breaker or ProxyEventKinds.Config or ProxyEventKinds.Certificate))
        {
            return;
        }

        if (!_events.Writer.TryWrite(published))
        {
            Interlocked.Increment(ref _dropped);
            _metrics.Record(published.Kind, "*", NotificationMetrics.Dropped);
        }
    }
}
