using System.Globalization;
using Microsoft.AspNetCore.Http.Features;

namespace Proxy.DemoBackend.Endpoints;

/// <summary>The catch-all: any other path and method answers with the server's version, subject to the injected faults.</summary>
internal static class EchoApi
{
    public static IEndpointConventionBuilder MapEchoApi(this IEndpointRouteBuilder endpoints, DemoUpstreamServer server)
    {
        var writer = new EchoResponseWriter(server.Version, server.Instance);
        return endpoints.Map("/{**path}", context => EchoAsync(context, server, writer));
    }

    private static async Task EchoAsync(HttpContext context, DemoUpstreamServer server, EchoResponseWriter writer)
    {
        var request = context.Request;
        var ct = context.RequestAborted;
        server.Stats.Count(request.Method);
        var pathAndQuery = PathAndQuery(context);

        if (server.RecordRequests)
        {
            var receivedAt = server.TimeProvider.GetUtcNow();
            var body = await RequestBody.DigestAsync(request, ct).ConfigureAwait(false);
            server.Stats.Record(new RecordedRequest(request.Method, pathAndQuery, HeaderSnapshot(request), body.Length, body.Sha256, receivedAt));
        }
        else
        {
            await RequestBody.DrainAsync(request, ct).ConfigureAwait(false);
        }

        var faults = server.Faults;
        var latencyMs = faults.LatencyMs;
        if (latencyMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(latencyMs), server.TimeProvider, ct).ConfigureAwait(false);
        }

        if (faults.ShouldAbort())
        {
            context.Abort();
            return;
        }

        var statusCode = faults.ShouldFail() ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK;
        writer.Write(context, pathAndQuery, statusCode, PaddedSize(request));
    }

    // The target exactly as received (still percent-encoded), so tests can check that a proxy forwards it untouched.
    private static string PathAndQuery(HttpContext context)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return rawTarget is { Length: > 0 } && rawTarget[0] == '/'
            ? rawTarget
            : context.Request.Path.Value + context.Request.QueryString.Value;
    }

    private static int PaddedSize(HttpRequest request)
    {
        if (!request.QueryString.HasValue || !request.Query.TryGetValue("size", out var size))
        {
            return 0;
        }

        return int.TryParse(size.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
            ? Math.Min(bytes, EchoResponseWriter.MaxPaddedSize)
            : 0;
    }

    private static Dictionary<string, string> HeaderSnapshot(HttpRequest request)
    {
        var headers = new Dictionary<string, string>(request.Headers.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = values.ToString();
        }

        return headers;
    }
}
