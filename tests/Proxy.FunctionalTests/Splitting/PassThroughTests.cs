using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Splitting;

/// <summary>A split route carries what plain YARP carries: WebSockets, streamed responses and large bodies.</summary>
public class PassThroughTests : IAsyncLifetime
{
    private TestEnvironment _env = null!;

    public async Task InitializeAsync() =>
        _env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 50, ["canary"] = 50 }));

    public async Task DisposeAsync() => await _env.DisposeAsync();

    [Fact]
    public async Task WebSocket_messages_are_echoed_through_the_split_route()
    {
        using var socket = new ClientWebSocket();
        var address = new UriBuilder(_env.ProxyAddress) { Scheme = "ws", Path = "/_demo/ws" }.Uri;
        await socket.ConnectAsync(address, CancellationToken.None);

        foreach (var text in new[] { "hello", new string('x', 100_000) })
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            Assert.Equal(text, await socket.ReceiveTextAsync());
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
    }

    [Fact]
    public async Task Server_sent_events_arrive_one_by_one_before_the_stream_ends()
    {
        using var client = _env.CreateClient();
        using var response = await client.GetAsync("/_demo/sse?count=3&intervalMs=1000", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<string>();
        var firstEventAt = TimeSpan.Zero;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length > 0)
            {
                events.Add(line);
                firstEventAt = events.Count == 1 ? clock.Elapsed : firstEventAt;
            }
        }

        Assert.Equal(["data: 0", "data: 1", "data: 2"], events);

        // The upstream spaces events a second apart: a buffering proxy would deliver them all at the end.
        Assert.True(clock.Elapsed - firstEventAt > TimeSpan.FromSeconds(1.5), $"first event came {firstEventAt}, stream ended {clock.Elapsed}");
    }

    [Fact]
    public async Task Fifty_megabyte_upload_arrives_intact()
    {
        var body = new byte[50 * 1024 * 1024];
        new Random(42).NextBytes(body);
        using var client = _env.CreateClient();

        using var response = await client.PostAsync("/_demo/upload", new ByteArrayContent(body));

        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(body.Length, json.RootElement.GetProperty("bytes").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), json.RootElement.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task Fifty_megabyte_download_arrives_intact()
    {
        const int length = 50 * 1024 * 1024;
        using var client = _env.CreateClient();

        var body = await client.GetByteArrayAsync($"/_demo/download?bytes={length}");

        Assert.Equal(length, body.Length);
        for (var i = 0; i < length; i += 4099)
        {
            Assert.Equal((byte)((i * 31) + 7), body[i]);
        }
    }
}
