using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Proxy.Traffic.Events;

/// <summary>
/// The gateway's live event stream (<c>GET /api/events</c>): numbers each published event, keeps the latest
/// <see cref="EventStreamOptions.BufferedEvents"/> for clients that reconnect with <c>Last-Event-ID</c>, and offers each
/// to every connected client's bounded queue. Publishing never waits and never allocates per client: a client whose
/// queue is full is dropped, so memory is bounded by buffer + clients × queue events, whatever the clients do.
/// </summary>
public sealed partial class ProxyEventHub
{
    private readonly Lock _lock = new();
    private readonly ProxyEvent?[] _buffer;
    private readonly int _clientQueue;
    private readonly int _maxClients;
    private readonly ILogger<ProxyEventHub> _logger;
    private readonly IProxyEventListener[] _listeners;
    private EventSubscription[] _clients = [];
    private long _lastSequence;
    private long _droppedClients;

    public ProxyEventHub(IOptions<EventStreamOptions> options, TimeProvider timeProvider, ILogger<ProxyEventHub> logger, IEnumerable<IProxyEventListener>? listeners = null)
    {
        var settings = options.Value;
        _listeners = [.. listeners ?? []];
        _buffer = new ProxyEvent?[settings.BufferedEvents];
        _clientQueue = settings.ClientQueue;
        _maxClients = settings.MaxClients;
        _logger = logger;

        // Ids carry the stream they belong to, so an id from before a restart (or from another instance) is recognised as
        // such rather than mistaken for one of this stream's numbers.
        StreamId = timeProvider.GetUtcNow().ToUnixTimeMilliseconds().ToString("x", CultureInfo.InvariantCulture);
    }

    /// <summary>This process's stream: the first part of every event id.</summary>
    public string StreamId { get; }

    /// <summary>Clients connected now.</summary>
    public int ClientCount => Volatile.Read(ref _clients).Length;

    /// <summary>Clients dropped since start-up because they fell a whole queue behind.</summary>
    public long DroppedClients => Interlocked.Read(ref _droppedClients);

    /// <summary>The id of the latest event, or null before the first.</summary>
    public string? LastEventId
    {
        get
        {
            lock (_lock)
            {
                return _lastSequence == 0 ? null : IdOf(_lastSequence);
            }
        }
    }

    /// <summary>The SSE id of an event.</summary>
    public string IdOf(ProxyEvent @event) => IdOf(@event.Sequence);

    /// <summary>Publishes an event about <paramref name="routes"/> (none: the whole gateway), its data <paramref name="payload"/> as JSON.</summary>
    public void Publish<T>(string kind, IReadOnlyList<string> routes, T payload)
    {
        var data = JsonSerializer.Serialize(payload, EventJson.Options);
        List<EventSubscription>? dropped = null;
        lock (_lock)
        {
            var @event = new ProxyEvent(++_lastSequence, kind, routes, data);
            _buffer[@event.Sequence % _buffer.Length] = @event;

            // Under the lock: listeners see the events in the stream's order, from the first one on.
            foreach (var listener in _listeners)
            {
                listener.OnEvent(@event);
            }

            foreach (var client in _clients)
            {
                if (client.Filter.Matches(@event) && !client.Offer(@event))
                {
                    (dropped ??= []).Add(client);
                }
            }

            if (dropped is not null)
            {
                _clients = [.. _clients.Except(dropped)];
            }
        }

        if (dropped is not null)
        {
            Interlocked.Add(ref _droppedClients, dropped.Count);
            LogClientDropped(_logger, dropped.Count, _clientQueue);
        }
    }

    /// <summary>
    /// Connects a client: what it missed since <paramref name="lastEventId"/> (replayed from the buffer, or announced as a
    /// gap), then every matching event from now on. Null when <see cref="EventStreamOptions.MaxClients"/> are connected.
    /// </summary>
    public EventSubscription? Subscribe(string? lastEventId, EventFilter filter)
    {
        lock (_lock)
        {
            if (_clients.Length >= _maxClients)
            {
                return null;
            }

            var client = new EventSubscription(filter, _clientQueue, Unsubscribe);
            if (!string.IsNullOrEmpty(lastEventId))
            {
                Resume(client, lastEventId);
            }

            _clients = [.. _clients, client];
            return client;
        }
    }

    // Under the lock, so that no event falls between the replay and the live queue.
    private void Resume(EventSubscription client, string lastEventId)
    {
        var oldest = Math.Max(1, _lastSequence - _buffer.Length + 1);
        var oldestId = _lastSequence == 0 ? null : IdOf(oldest);
        if (!TryParse(lastEventId, out var sequence) || sequence > _lastSequence)
        {
            client.Gap = new EventGap(lastEventId, oldestId, "the id is not from this stream (the gateway restarted, or it is another instance's): what happened since is unknown here");
            return;
        }

        var from = sequence + 1;
        if (from < oldest)
        {
            client.Gap = new EventGap(lastEventId, oldestId, $"{oldest - from} events after it are no longer kept (the stream keeps the latest {_buffer.Length})");
            from = oldest;
        }

        var replay = new List<ProxyEvent>();
        for (var s = from; s <= _lastSequence; s++)
        {
            if (_buffer[s % _buffer.Length] is { } kept && client.Filter.Matches(kept))
            {
                replay.Add(kept);
            }
        }

        client.Replay = replay;
    }

    private bool TryParse(string id, out long sequence)
    {
        sequence = 0;
        var dash = id.LastIndexOf('-');
        return dash > 0
            && id.AsSpan(0, dash).SequenceEqual(StreamId)
            && long.TryParse(id.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
    }

    private void Unsubscribe(EventSubscription client)
    {
        lock (_lock)
        {
            _clients = [.. _clients.Where(c => !ReferenceEquals(c, client))];
        }
    }

    private string IdOf(long sequence) => string.Create(CultureInfo.InvariantCulture, $"{StreamId}-{sequence}");

    [LoggerMessage(EventId = EventIds.EventClientsDropped, Level = LogLevel.Warning, Message = "Event stream: {Count} client(s) dropped for falling {Queue} events behind; they can reconnect with Last-Event-ID")]
    private static partial void LogClientDropped(ILogger logger, int count, int queue);
}
