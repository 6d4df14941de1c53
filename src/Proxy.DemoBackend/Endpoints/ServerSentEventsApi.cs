using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace Proxy.DemoBackend.Endpoints;

/// <summary><c>GET /_demo/sse?count=N&amp;intervalMs=M</c>: N events <c>data: 0</c> … <c>data: N-1</c>, each flushed, M ms apart.</summary>
internal static class ServerSentEventsApi
{
    private const long DefaultCount = 10;
    private const long MaxCount = 1_000_000;
    private const long DefaultIntervalMs = 100;
    private const long MaxIntervalMs = 60_000;

    public static IEndpointConventionBuilder MapServerSentEventsApi(this IEndpointRouteBuilder endpoints, DemoUpstreamServer server) =>
        endpoints.MapGet("/_demo/sse", async context =>
        {
            if (!QueryNumber.TryRead(context.Request, "count", DefaultCount, MaxCount, out var count, out var problem)
                || !QueryNumber.TryRead(context.Request, "intervalMs", DefaultIntervalMs, MaxIntervalMs, out var intervalMs, out problem))
            {
                await problem!.ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            using var stop = StreamingStop.For(context);
            await StreamAsync(context, server, count, TimeSpan.FromMilliseconds(intervalMs), stop.Token).ConfigureAwait(false);
        });

    private static async Task StreamAsync(HttpContext context, DemoUpstreamServer server, long count, TimeSpan interval, CancellationToken ct)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers[DemoHeaders.Version] = server.Version;
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        // Send the headers at once: a client (or proxy) must see the stream open before the first event.
        await response.StartAsync(ct).ConfigureAwait(false);
        for (var n = 0L; n < count; n++)
        {
            if (n > 0 && interval > TimeSpan.Zero)
            {
                await Task.Delay(interval, server.TimeProvider, ct).ConfigureAwait(false);
            }

            await response.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"data: {n}\n\n"), Encoding.UTF8, ct).ConfigureAwait(false);
            await response.Body.FlushAsync(ct).ConfigureAwait(false);
        }
    }
}
