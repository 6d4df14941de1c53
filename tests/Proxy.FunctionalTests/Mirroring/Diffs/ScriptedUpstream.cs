using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Proxy.FunctionalTests.Mirroring.Diffs;

/// <summary>A real Kestrel upstream on 127.0.0.1:0 that answers as the test scripts it, and keeps each request's mirror header.</summary>
public sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private ScriptedUpstream(WebApplication app) => _app = app;

    /// <summary>Requests served.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Requests that came without <c>X-Proxy-Mirror</c>: real users' (or the second copy to the primary, which carries it too).</summary>
    public ConcurrentBag<string> Unmirrored { get; } = [];

    public Uri Address { get; private set; } = null!;

    public static async Task<ScriptedUpstream> StartAsync(Func<HttpContext, int, Task> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var upstream = new ScriptedUpstream(app);
        app.Run(context =>
        {
            var n = Interlocked.Increment(ref upstream._requests);
            if (!context.Request.Headers.ContainsKey("X-Proxy-Mirror"))
            {
                upstream.Unmirrored.Add(context.Request.Path);
            }

            return answer(context, n);
        });
        await app.StartAsync();
        upstream.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return upstream;
    }

    /// <summary>Points the test environment's cluster at this upstream.</summary>
    public void Serve(JsonObject config, string cluster) =>
        config["ReverseProxy"]!["Clusters"]![cluster]!["Destinations"]!["d1"]![nameof(Address)] = Address.ToString();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
