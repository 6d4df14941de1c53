namespace Proxy.DemoBackend.Endpoints;

/// <summary><c>/healthz</c>: 200 "ok" while <see cref="DemoFaults.Healthy"/>, 503 otherwise.</summary>
internal static class HealthApi
{
    private static readonly byte[] s_ok = "ok"u8.ToArray();
    private static readonly byte[] s_unhealthy = "unhealthy"u8.ToArray();

    public static IEndpointConventionBuilder MapHealthApi(this IEndpointRouteBuilder endpoints, DemoUpstreamServer server)
    {
        var writer = new EchoResponseWriter(server.Version, server.Instance);
        return endpoints.Map("/healthz", context =>
        {
            var healthy = server.Faults.Healthy;
            context.Response.StatusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            context.Response.ContentType = "text/plain";
            writer.AddVersionHeader(context.Response);
            var body = healthy ? s_ok : s_unhealthy;
            context.Response.ContentLength = body.Length;
            return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
        });
    }
}
