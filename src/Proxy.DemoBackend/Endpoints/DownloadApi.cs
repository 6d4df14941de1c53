namespace Proxy.DemoBackend.Endpoints;

/// <summary><c>GET /_demo/download?bytes=N</c>: streams N bytes of <see cref="DownloadPattern"/> with a Content-Length.</summary>
internal static class DownloadApi
{
    private const long MaxBytes = 64L * 1024 * 1024 * 1024;

    public static IEndpointConventionBuilder MapDownloadApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/_demo/download", async context =>
        {
            if (!QueryNumber.TryRead(context.Request, "bytes", 0, MaxBytes, out var bytes, out var problem))
            {
                await problem!.ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            var response = context.Response;
            response.ContentType = "application/octet-stream";
            response.ContentLength = bytes;
            var chunk = DownloadPattern.Chunk;
            var ct = context.RequestAborted;
            for (var remaining = bytes; remaining > 0; remaining -= chunk.Length)
            {
                var length = (int)Math.Min(remaining, chunk.Length);
                await response.Body.WriteAsync(chunk.AsMemory(0, length), ct).ConfigureAwait(false);
            }
        });
}
