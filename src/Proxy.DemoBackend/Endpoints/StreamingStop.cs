namespace Proxy.DemoBackend.Endpoints;

/// <summary>Ends a long-lived stream when either the client goes away or the server stops, so a stop is not held up by open streams.</summary>
internal static class StreamingStop
{
    public static CancellationTokenSource For(HttpContext context) =>
        CancellationTokenSource.CreateLinkedTokenSource(
            context.RequestAborted,
            context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
}
