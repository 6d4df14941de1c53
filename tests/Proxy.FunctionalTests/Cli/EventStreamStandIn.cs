using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Proxy.Traffic.Admin.Contracts;

namespace Proxy.FunctionalTests.Cli;

/// <summary>
/// A real Kestrel server speaking the event stream's contract (design §3: <c>GET /api/events</c>, SSE with <c>id:</c>
/// and <c>event:</c>, <c>?route=&amp;kinds=</c>) until the gateway serves it, plus <c>GET …/rollouts/current</c> answering
/// <see cref="Phase"/>. Each time the rollout is read, <see cref="Reads"/> releases the next step of a script.
/// </summary>
public sealed class EventStreamStandIn : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private readonly WebApplication _app;
    private readonly SemaphoreSlim _reads = new(0);

    private EventStreamStandIn(WebApplication app) => _app = app;

    /// <summary>The rollout's phase that <c>GET …/rollouts/current</c> answers.</summary>
    public string Phase { get; set; } = "Progressing";

    /// <summary>The query string of each <c>GET /api/events</c>, in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> EventsQueries { get; } = new();

    public Uri Address { get; private set; } = null!;

    /// <summary>
    /// Starts the server; <paramref name="stream"/> writes the event stream (the response ends, a cut, when it returns),
    /// and may wait for the rollout to be read with <see cref="WaitForReadAsync"/>.
    /// </summary>
    public static async Task<EventStreamStandIn> StartAsync(Func<EventStreamStandIn, HttpResponse, Task> stream)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var standIn = new EventStreamStandIn(app);
        app.MapGet("/api/events", async (HttpContext context) =>
        {
            standIn.EventsQueries.Enqueue(context.Request.QueryString.Value ?? "");
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(": connected\n\n");
            await context.Response.Body.FlushAsync();
            await stream(standIn, context.Response);
        });
        app.MapGet("/api/routes/{id}/rollouts/current", (string id) =>
        {
            var json = JsonSerializer.Serialize(Rollout(id, standIn.Phase), Web);
            standIn._reads.Release();
            return Results.Content(json, "application/json");
        });
        await app.StartAsync();
        standIn.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/");
        return standIn;
    }

    /// <summary>Waits until the rollout has been read once more.</summary>
    public async Task WaitForReadAsync()
    {
        if (!await _reads.WaitAsync(TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException("proxyctl did not read the rollout");
        }
    }

    /// <summary>Writes one event.</summary>
    public static async Task SendAsync(HttpResponse response, int id, string kind, string data)
    {
        await response.WriteAsync($"id: {id}\nevent: {kind}\ndata: {data}\n\n");
        await response.Body.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _reads.Dispose();
    }

    private static RolloutResponse Rollout(string route, string phase) => new(
        route, 7, "canary", "blue", "canary", phase, 0, 2, new Dictionary<string, decimal> { ["blue"] = 80, ["canary"] = 20 },
        DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null, null, null, 0, [], [], null);
}
