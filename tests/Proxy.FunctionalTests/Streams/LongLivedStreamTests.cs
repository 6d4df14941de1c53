using System.Net;
using System.Net.Security;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Configuration;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.Tests.Tls;

namespace Proxy.FunctionalTests.Streams;

/// <summary>A WebSocket (HTTP/1.1 upgrade and HTTP/2 extended CONNECT) or an event stream stays on its version while the split moves.</summary>
public sealed class LongLivedStreamTests : IDisposable
{
    private const string ServedBy = "X-Proxy-Cluster";
    private readonly string _directory = Directory.CreateTempSubdirectory("proxy-streams-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_websocket_keeps_its_version_through_a_rollback_while_new_connections_go_to_stable(bool http2)
    {
        await using var env = await StartAsync(https: http2);
        using var invoker = new HttpMessageInvoker(Handler());
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (http2)
        {
            socket.Options.HttpVersion = HttpVersion.Version20;
            socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        var address = new UriBuilder(env.ProxyAddress) { Scheme = http2 ? "wss" : "ws", Path = "/_demo/ws" }.Uri;
        await socket.ConnectAsync(address, invoker, CancellationToken.None);
        Assert.Equal(http2 ? HttpStatusCode.OK : HttpStatusCode.SwitchingProtocols, socket.HttpStatusCode);
        Assert.Equal("canary", socket.HttpResponseHeaders![ServedBy].Single());

        using (var admin = env.CreateAdminClient())
        using (var rollback = await admin.PostAsync("api/routes/shop/rollback", new { reason = "test" }))
        {
            rollback.EnsureSuccessStatusCode();
        }

        using var client = Client(env.ProxyAddress);
        Assert.Equal("blue", await client.GetVersionAsync());
        for (var i = 0; i < 5; i++)
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes($"after {i}"), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            Assert.Equal($"after {i}", await socket.ReceiveTextAsync());
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
    }

    [Fact]
    public async Task Server_sent_events_keep_flowing_from_their_version_through_a_rollback()
    {
        await using var env = await StartAsync(https: true);
        using var client = Client(env.ProxyAddress);
        using var response = await client.GetAsync("/_demo/sse?count=5&intervalMs=200", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("canary", response.Headers.GetValues(ServedBy).Single());
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<string>();
        string? line;
        while ((line = await reader.ReadLineAsync()) is not null)
        {
            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                events.Add(line);
                if (events.Count == 1)
                {
                    using var admin = env.CreateAdminClient();
                    using var rollback = await admin.PostAsync("api/routes/shop/rollback", new { reason = "test" });
                    rollback.EnsureSuccessStatusCode();
                }
            }
        }

        Assert.Equal(["data: 0", "data: 1", "data: 2", "data: 3", "data: 4"], events);
        Assert.Equal("blue", await client.GetVersionAsync());
    }

    // The test's self-signed certificate is accepted; no cookies, so every request is a new visitor.
    private static SocketsHttpHandler Handler() => new()
    {
        UseCookies = false,
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null },
    };

    private static HttpClient Client(Uri address) => new(Handler())
    {
        BaseAddress = address,
        DefaultRequestVersion = address.Scheme == "https" ? HttpVersion.Version20 : HttpVersion.Version11,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    private async Task<TestEnvironment> StartAsync(bool https)
    {
        var settings = new Dictionary<string, string?>();
        if (https)
        {
            var (cert, key) = (Path.Combine(_directory, "gateway.crt"), Path.Combine(_directory, "gateway.key"));
            TestCertificates.WritePem(TestCertificates.Create(["gateway.test"]), cert, key);
            settings["Proxy:Urls"] = "https://127.0.0.1:0";
            settings["Kestrel:Certificates:Default:Path"] = cert;
            settings["Kestrel:Certificates:Default:KeyPath"] = key;
        }

        return await TestEnvironment.StartAsync(
            ["blue", "canary"],
            Splits.Route("blue", new() { ["blue"] = 0, ["canary"] = 100 }, servedByHeader: ServedBy),
            configureGateway: builder => builder.Configuration.AddInMemoryCollection(settings));
    }
}
