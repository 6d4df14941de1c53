using System.Collections.Frozen;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Proxy.Traffic.Events;

namespace Proxy.Traffic.Tests.Events;

public class ProxyEventHubTests
{
    private static ProxyEventHub Hub(int buffered = 16, int queue = 16, int maxClients = 8) => new(
        Options.Create(new EventStreamOptions { BufferedEvents = buffered, ClientQueue = queue, MaxClients = maxClients }),
        new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(0x1234)),
        NullLogger<ProxyEventHub>.Instance);

    private static void PublishSplits(ProxyEventHub hub, int count, string route = "shop")
    {
        for (var i = 0; i < count; i++)
        {
            hub.Publish(ProxyEventKinds.Split, [route], new { n = i });
        }
    }

    private static List<ProxyEvent> Drain(EventSubscription client)
    {
        var events = new List<ProxyEvent>();
        while (client.Live.TryRead(out var e))
        {
            events.Add(e);
        }

        return events;
    }

    [Fact]
    public void Ids_name_the_stream_and_count_up()
    {
        var hub = Hub();
        using var client = hub.Subscribe(null, EventFilter.None)!;

        PublishSplits(hub, 2);

        Assert.Equal(["1234-1", "1234-2"], Drain(client).Select(hub.IdOf));
        Assert.Equal("1234-2", hub.LastEventId);
    }

    [Fact]
    public void A_client_resuming_from_a_kept_id_gets_exactly_what_followed_it_then_live_events()
    {
        var hub = Hub();
        PublishSplits(hub, 5);

        using var client = hub.Subscribe("1234-3", EventFilter.None)!;
        PublishSplits(hub, 1);

        Assert.Null(client.Gap);
        Assert.Equal([4L, 5L], client.Replay.Select(e => e.Sequence));
        Assert.Equal([6L], Drain(client).Select(e => e.Sequence));
    }

    [Fact]
    public void An_id_older_than_the_buffer_is_announced_as_a_gap_and_what_is_kept_follows()
    {
        var hub = Hub(buffered: 16);
        PublishSplits(hub, 40);

        using var client = hub.Subscribe("1234-10", EventFilter.None)!;

        Assert.NotNull(client.Gap);
        Assert.Equal("1234-25", client.Gap.OldestKeptId);
        Assert.Contains("14 events after it are no longer kept", client.Gap.Reason, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(25, 16).Select(i => (long)i), client.Replay.Select(e => e.Sequence));
    }

    [Theory]
    [InlineData("99-3")]      // another stream: a restart or another instance
    [InlineData("1234-50")]   // a number this stream never reached
    [InlineData("garbage")]
    public void An_id_this_stream_cannot_place_is_announced_as_a_gap_without_replay(string lastEventId)
    {
        var hub = Hub();
        PublishSplits(hub, 5);

        using var client = hub.Subscribe(lastEventId, EventFilter.None)!;

        Assert.Contains("not from this stream", client.Gap?.Reason, StringComparison.Ordinal);
        Assert.Empty(client.Replay);
    }

    [Fact]
    public void Filters_keep_the_route_asked_for_and_gateway_wide_events_of_the_kinds_asked_for()
    {
        var hub = Hub();
        using var client = hub.Subscribe(null, new EventFilter("shop", FrozenSet.Create(StringComparer.Ordinal, ProxyEventKinds.Split, ProxyEventKinds.Config)))!;

        hub.Publish(ProxyEventKinds.Split, ["shop"], 1);
        hub.Publish(ProxyEventKinds.Split, ["other"], 2);
        hub.Publish(ProxyEventKinds.Rollout, ["shop"], 3);
        hub.Publish(ProxyEventKinds.Config, [], 4);
        hub.Publish(ProxyEventKinds.Split, ["other", "SHOP"], 5);

        Assert.Equal(["1", "4", "5"], Drain(client).Select(e => e.Data));
    }

    [Fact]
    public void A_client_that_falls_a_whole_queue_behind_is_dropped_while_the_writer_goes_on_and_others_keep_everything()
    {
        var hub = Hub(buffered: 64, queue: 16);
        var stuck = hub.Subscribe(null, EventFilter.None)!;
        using var reader = hub.Subscribe(null, EventFilter.None)!;
        var read = 0;

        for (var i = 0; i < 1000; i++)
        {
            hub.Publish(ProxyEventKinds.Traffic, [], i);
            read += Drain(reader).Count;
        }

        Assert.True(stuck.Overflowed);
        Assert.Equal(16, stuck.Queued); // what it holds stays at the queue's length, whatever is published after
        Assert.True(stuck.Dropped.WaitHandle.WaitOne(TimeSpan.FromSeconds(5)), "the dropped client's connection is aborted");
        Assert.Equal(1000, read);
        Assert.Equal((1, 1L), (hub.ClientCount, hub.DroppedClients));
    }

    [Fact]
    public void Clients_past_the_limit_are_refused_and_a_closed_one_frees_its_place()
    {
        var hub = Hub(maxClients: 1);
        var first = hub.Subscribe(null, EventFilter.None)!;

        Assert.Null(hub.Subscribe(null, EventFilter.None));
        first.Dispose();
        using var second = hub.Subscribe(null, EventFilter.None);
        Assert.NotNull(second);
    }

    [Fact]
    public void A_listener_gets_every_event_in_order_from_the_first_and_takes_no_client_place()
    {
        var listener = new Listener();
        var hub = new ProxyEventHub(
            Options.Create(new EventStreamOptions { BufferedEvents = 16, ClientQueue = 16, MaxClients = 1 }),
            new FakeTimeProvider(),
            NullLogger<ProxyEventHub>.Instance,
            [listener]);

        PublishSplits(hub, 100);
        using var client = hub.Subscribe(null, EventFilter.None);

        Assert.NotNull(client);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), listener.Events.Select(e => e.Sequence));
    }

    private sealed class Listener : IProxyEventListener
    {
        public List<ProxyEvent> Events { get; } = [];

        public void OnEvent(ProxyEvent published) => Events.Add(published);
    }
}
