using System.Threading.Channels;

namespace Proxy.Traffic.Events;

/// <summary>
/// One connected client of the stream: what it missed (<see cref="Gap"/>, <see cref="Replay"/>) and its queue of live
/// events. The queue is bounded; a client that lets it fill is dropped (<see cref="Overflowed"/>), never waited for.
/// </summary>
public sealed class EventSubscription : IDisposable
{
    private readonly Channel<ProxyEvent> _queue;
    private readonly Action<EventSubscription> _unsubscribe;
    private readonly CancellationTokenSource _dropped = new();
    private volatile bool _overflowed;

    internal EventSubscription(EventFilter filter, int queueLength, Action<EventSubscription> unsubscribe)
    {
        Filter = filter;
        _unsubscribe = unsubscribe;

        // FullMode.Wait makes TryWrite answer false on a full queue (DropWrite would drop silently): the writer never waits,
        // and a full queue drops the client instead of losing events it would not know about.
        _queue = Channel.CreateBounded<ProxyEvent>(new BoundedChannelOptions(queueLength)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    /// <summary>What the client asked for.</summary>
    public EventFilter Filter { get; }

    /// <summary>Set when the client's <c>Last-Event-ID</c> could not be followed without a hole.</summary>
    public EventGap? Gap { get; internal set; }

    /// <summary>Buffered events after the client's <c>Last-Event-ID</c>, oldest first, to write before the live ones.</summary>
    public IReadOnlyList<ProxyEvent> Replay { get; internal set; } = [];

    /// <summary>Live events, in order; completed when the client is dropped.</summary>
    public ChannelReader<ProxyEvent> Live => _queue.Reader;

    /// <summary>True when the client fell a whole queue behind and was dropped.</summary>
    public bool Overflowed => _overflowed;

    /// <summary>Cancelled when the client is dropped: its connection is aborted, so a stuck client holds nothing after it.</summary>
    public CancellationToken Dropped => _dropped.Token;

    /// <summary>Events waiting in the queue.</summary>
    public int Queued => _queue.Reader.Count;

    // Under the stream's lock. False when the queue is full: the caller drops the client.
    internal bool Offer(ProxyEvent @event)
    {
        if (_queue.Writer.TryWrite(@event))
        {
            return true;
        }

        _overflowed = true;
        _queue.Writer.TryComplete();

        // Not under the publisher's lock: cancelling runs the connection's abort.
        ThreadPool.UnsafeQueueUserWorkItem(static dropped => dropped.Cancel(), _dropped, preferLocal: false);
        return false;
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _unsubscribe(this);
    }
}
