using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.FunctionalTests.Mirroring;
using Proxy.Traffic.Events;

namespace Proxy.FunctionalTests.Events;

/// <summary><c>GET /api/events</c> on a real gateway: what each change says, resuming, filters, keep-alive, refusals.</summary>
public class EventStreamTests
{
    private static Task<TestEnvironment> StartAsync(int bufferedEvents = 1024, TimeSpan? keepAlive = null, int clientQueue = 16, TimeSpan? sampleInterval = null) =>
        TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 100, ["canary"] = 0 }), config =>
        {
            config["Admin"]!["Events"] = new JsonObject
            {
                ["BufferedEvents"] = bufferedEvents,
                ["ClientQueue"] = clientQueue,
                ["KeepAliveInterval"] = (keepAlive ?? TimeSpan.FromSeconds(15)).ToString("c"),
                ["SampleInterval"] = (sampleInterval ?? TimeSpan.FromSeconds(5)).ToString("c"),
            };
        });

    [Fact]
    public async Task A_weight_change_is_one_split_event_with_its_revision_actor_weights_before_and_after_and_reason()
    {
        await using var env = await StartAsync();
        using var admin = env.CreateAdminClient();
        await using var events = await EventStreamReader.OpenAsync(env.AdminAddress, TestEnvironment.ViewerKey, "?route=shop&kinds=split");

        (await admin.PutWeightsAsync(new { blue = 80, canary = 20 }, reason: "canary looks fine")).EnsureSuccessStatusCode();
        var (id, split) = await events.NextOfKindAsync(ProxyEventKinds.Split);

        Assert.Matches(@"^[0-9a-f]+-\d+$", id);
        Assert.Equal(("shop", 2, "api", "ops", "set-weights"), (
            split.GetProperty("route").GetString(), split.GetProperty("revision").GetInt32(), split.GetProperty("source").GetString(),
            split.GetProperty("actor").GetString(), split.GetProperty("action").GetString()));
        Assert.Equal("""{"blue":100,"canary":0}""", split.GetProperty("before").GetProperty("weights").GetRawText());
        Assert.Equal("""{"blue":80,"canary":20}""", split.GetProperty("after").GetProperty("weights").GetRawText());
        Assert.Equal("canary looks fine", split.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Isolating_a_cluster_is_a_breaker_event_naming_the_transition_and_its_cause()
    {
        await using var env = await StartAsync();
        using var admin = env.CreateAdminClient();
        await using var events = await EventStreamReader.OpenAsync(env.AdminAddress, TestEnvironment.ViewerKey, "?kinds=breaker");

        (await admin.PostAsync("api/clusters/canary/isolate", new { reason = "bad build" })).EnsureSuccessStatusCode();
        var (_, isolated) = await events.NextOfKindAsync(ProxyEventKinds.Breaker);
        (await admin.PostAsync("api/clusters/canary/reset")).EnsureSuccessStatusCode();
        var (_, reset) = await events.NextOfKindAsync(ProxyEventKinds.Breaker);

        Assert.Equal(("canary", "Closed", "Isolated"), (isolated.GetProperty("cluster").GetString(), isolated.GetProperty("from").GetString(), isolated.GetProperty("to").GetString()));
        Assert.StartsWith("bad build", isolated.GetProperty("cause").GetString(), StringComparison.Ordinal);
        Assert.Equal(["shop"], isolated.GetProperty("routes").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(("Isolated", "Closed"), (reset.GetProperty("from").GetString(), reset.GetProperty("to").GetString()));
    }

    [Fact]
    public async Task A_mirror_is_a_mirror_event_when_set_then_each_sample_while_it_runs_with_its_comparison_and_when_cleared()
    {
        // A running mirror's comparison is sampled: one sample a second gets it within a few seconds.
        await using var env = await StartAsync(sampleInterval: TimeSpan.FromSeconds(1));
        using var admin = env.CreateAdminClient();
        using var client = env.CreateClient(cookies: false);
        await using var events = await EventStreamReader.OpenAsync(env.AdminAddress, TestEnvironment.ViewerKey, "?route=shop&kinds=mirror");
        var wait = TimeSpan.FromSeconds(30);

        DateTimeOffset since;
        using (var put = await admin.PutAsJsonAsync("api/routes/shop/mirror", new { cluster = "canary", percentage = 100, reason = "dark launch of canary" }))
        {
            put.EnsureSuccessStatusCode();
            since = (await put.ReadJsonAsync()).GetProperty("since").GetDateTimeOffset();
        }

        // The first mirror event after the PUT is the set, not a running sample.
        var (setId, set) = await events.NextOfKindAsync(ProxyEventKinds.Mirror, timeout: wait);
        Assert.Matches(@"^[0-9a-f]+-\d+$", setId);
        Assert.Equal(("shop", "set"), (set.GetProperty("route").GetString(), set.GetProperty("change").GetString()));
        var mirror = set.GetProperty("mirror");
        Assert.Equal(("shop", true, "api", "canary", 100m, since), (
            mirror.GetProperty("route").GetString(), mirror.GetProperty("enabled").GetBoolean(), mirror.GetProperty("source").GetString(),
            mirror.GetProperty("settings").GetProperty("cluster").GetString(), mirror.GetProperty("settings").GetProperty("percentage").GetDecimal(),
            mirror.GetProperty("since").GetDateTimeOffset()));
        Assert.Equal(0, mirror.GetProperty("comparison").GetProperty("sent").GetInt64());

        for (var i = 0; i < 5; i++)
        {
            await client.GetVersionAsync();
        }

        await Eventually.TrueAsync(() => env.Comparison().Compared() == 5, "the 5 copies were not compared", wait);
        var (_, running) = await events.NextOfKindAsync(
            ProxyEventKinds.Mirror, e => e.GetProperty("mirror").GetProperty("comparison").GetProperty("results").GetProperty("match").GetInt64() == 5, wait);
        Assert.Equal(("shop", "running"), (running.GetProperty("route").GetString(), running.GetProperty("change").GetString()));
        var comparison = running.GetProperty("mirror").GetProperty("comparison");
        Assert.Equal((5L, 5L, 5L), (
            comparison.GetProperty("sent").GetInt64(),
            comparison.GetProperty("primary").GetProperty("statusClasses").GetProperty("2xx").GetInt64(),
            comparison.GetProperty("mirror").GetProperty("statusClasses").GetProperty("2xx").GetInt64()));
        Assert.Equal(since, running.GetProperty("mirror").GetProperty("since").GetDateTimeOffset());

        (await admin.DeleteAsync("api/routes/shop/mirror")).EnsureSuccessStatusCode();
        var (_, cleared) = await events.NextOfKindAsync(ProxyEventKinds.Mirror, e => e.GetProperty("change").GetString() != "running", wait);
        Assert.Equal(("shop", "cleared"), (cleared.GetProperty("route").GetString(), cleared.GetProperty("change").GetString()));
        var after = cleared.GetProperty("mirror");
        Assert.False(after.GetProperty("enabled").GetBoolean());
        Assert.Equal([JsonValueKind.Null, JsonValueKind.Null, JsonValueKind.Null], new[] { "settings", "since", "comparison" }.Select(p => after.GetProperty(p).ValueKind));
    }

    [Fact]
    public async Task A_mirror_set_and_cleared_between_two_samples_is_told_as_each_change_is_applied()
    {
        // One sample a minute: within the test's waits only the changes themselves can publish the events.
        await using var env = await StartAsync(sampleInterval: TimeSpan.FromMinutes(1));
        using var admin = env.CreateAdminClient();
        await using var events = await EventStreamReader.OpenAsync(env.AdminAddress, TestEnvironment.ViewerKey, "?route=shop&kinds=mirror");

        (await admin.PutAsJsonAsync("api/routes/shop/mirror", new { cluster = "canary", percentage = 50 })).EnsureSuccessStatusCode();
        var (_, set) = await events.NextOfKindAsync(ProxyEventKinds.Mirror, timeout: TimeSpan.FromSeconds(20));
        (await admin.DeleteAsync("api/routes/shop/mirror")).EnsureSuccessStatusCode();
        var (_, cleared) = await events.NextOfKindAsync(ProxyEventKinds.Mirror, timeout: TimeSpan.FromSeconds(20));

        Assert.Equal(("set", 50m), (set.GetProperty("change").GetString(), set.GetProperty("mirror").GetProperty("settings").GetProperty("percentage").GetDecimal()));
        Assert.Equal(("cleared", false), (cleared.GetProperty("change").GetString(), cleared.GetProperty("mirror").GetProperty("enabled").GetBoolean()));
    }

    [Fact]
    public async Task A_client_reconnecting_with_Last_Event_ID_gets_what_it_missed_and_one_from_too_long_ago_is_told_of_the_gap()
    {
        await using var env = await StartAsync(bufferedEvents: 16);
        using var admin = env.CreateAdminClient();
        string? seen;
        await using (var first = await EventStreamReader.OpenAsync(env.AdminAddress, TestEnvironment.ViewerKey, "?kinds=split"))
        {
            (await admin.PutWeightsAsync(new { blue = 90, canary = 10 })).EnsureSuccessStatusCode();
            seen = (await first.NextOfKindAsync(ProxyEventKinds.Split)).Id;
        }

        (await admin.PutWeightsAsync(new { blue = 70, canary = 30 })).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(() => env.Services.GetRequiredService<ProxyEventHub>().LastEventId != seen, "the change was not published");
        await using (var resumed = await EventStreamReader.OpenAsync(env.AdminAddress, TestEnvironment.ViewerKey, "?kinds=split", seen))
        {
            var (_, missed) = await resumed.NextOfKindAsync(ProxyEventKinds.Split);
            Assert.Equal("""{"blue":70,"canary":30}""", missed.GetProperty("after").GetProperty("weights").GetRawText());
        }

        var hub = env.Services.GetRequiredService<ProxyEventHub>();
        for (var i = 0; i < 20; i++)
        {
            hub.Publish(ProxyEventKinds.Config, [], new { filler = i });
        }

        await using var late = await EventStreamReader.OpenAsync(env.AdminAddress, TestEnvironment.ViewerKey, "", seen);
        var gap = await late.NextAsync(e => true, "nothing came after a too-old Last-Event-ID");
        Assert.Equal((ProxyEventKinds.Gap, ""), (gap.EventType, gap.EventId ?? ""));
        Assert.Contains("no longer kept", gap.Data, StringComparison.Ordinal);
        Assert.Contains(seen!, gap.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_idle_stream_gets_keep_alive_comments()
    {
        await using var env = await StartAsync(keepAlive: TimeSpan.FromSeconds(1));
        using var client = env.CreateAdminClient(TestEnvironment.ViewerKey);
        client.Timeout = Timeout.InfiniteTimeSpan;
        using var response = await client.GetAsync("api/events?kinds=rollout", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));

        var comments = 0;
        while (comments < 2)
        {
            var line = await reader.ReadLineAsync(deadline.Token);
            Assert.NotNull(line);
            comments += line == ": keep-alive" ? 1 : 0;
        }

        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Unknown_kinds_are_refused_naming_the_field_the_stream_needs_a_key_and_the_proxy_port_does_not_serve_it()
    {
        await using var env = await StartAsync();
        using var viewer = env.CreateAdminClient(TestEnvironment.ViewerKey);
        using var anonymous = env.CreateAdminClient(key: null);
        using var proxy = env.CreateClient();

        using var badKinds = await viewer.GetAsync("api/events?kinds=split,weather");
        using var noKey = await anonymous.GetAsync("api/events");
        using var throughProxy = await proxy.GetAsync("api/events");

        Assert.Equal(HttpStatusCode.BadRequest, badKinds.StatusCode);
        var problem = await badKinds.ReadJsonAsync();
        Assert.Contains("'weather' is not a kind", problem.GetProperty("errors").GetProperty("kinds")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.NotEqual("text/event-stream", throughProxy.Content.Headers.ContentType?.MediaType); // the upstream answered
    }

    [Fact]
    public async Task A_stuck_client_at_1000_events_a_second_is_dropped_with_its_connection_while_a_reading_client_gets_every_event()
    {
        // A queue of 1,024 events lets the reading client stall for a second (a loaded test machine) without being dropped;
        // the stuck one never reads, so it is dropped once its socket buffers and then its queue are full.
        await using var env = await StartAsync(clientQueue: 1024);
        var hub = env.Services.GetRequiredService<ProxyEventHub>();
        await using var reading = await EventStreamReader.OpenAsync(env.AdminAddress, TestEnvironment.ViewerKey, "?kinds=traffic");

        // A client that sends its request and never reads a byte: the socket's buffers fill, then its queue.
        using var stuck = new TcpClient();
        stuck.ReceiveBufferSize = 4096;
        await stuck.ConnectAsync(IPAddress.Loopback, env.AdminAddress.Port);
        var request = $"GET /api/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TestEnvironment.ViewerKey}\r\n\r\n";
        await stuck.GetStream().WriteAsync(Encoding.ASCII.GetBytes(request));
        await Eventually.TrueAsync(() => hub.ClientCount == 2, "the stuck client did not connect");

        // 1,000 events a second of 1 KiB each, for up to 20 s: published in 10 ms batches of 10.
        var payload = new string('x', 1024);
        var published = 0;
        var started = DateTime.UtcNow;
        while (hub.DroppedClients == 0 && DateTime.UtcNow - started < TimeSpan.FromSeconds(20))
        {
            for (var i = 0; i < 10; i++)
            {
                hub.Publish(ProxyEventKinds.Traffic, [], new { n = published++, payload });
            }

            await Task.Delay(10);
        }

        Assert.Equal(1, hub.DroppedClients);
        Assert.Equal(1, hub.ClientCount);

        // Its connection is closed by the gateway: reading what was buffered ends, rather than waiting forever.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var buffer = new byte[64 * 1024];
        try
        {
            while (await stuck.GetStream().ReadAsync(buffer, deadline.Token) > 0)
            {
            }
        }
        catch (IOException)
        {
            // reset: closed too
        }

        Assert.False(deadline.IsCancellationRequested, "the stuck client's connection was left open");
        var (_, last) = await reading.NextOfKindAsync(ProxyEventKinds.Traffic, e => e.GetProperty("n").GetInt32() == published - 1);
        Assert.Equal(published - 1, last.GetProperty("n").GetInt32());
    }
}
