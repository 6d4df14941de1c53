using Proxy.DemoBackend.Json;

namespace Proxy.DemoBackend.Endpoints;

/// <summary><c>POST /_demo/upload</c>: reads the body as it streams and answers <c>{"bytes":n,"sha256":"…"}</c>.</summary>
internal static class UploadApi
{
    public static IEndpointConventionBuilder MapUploadApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/_demo/upload", async context =>
        {
            var digest = await RequestBody.DigestAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
            await context.Response.WriteAsJsonAsync(new UploadResult(digest.Length, digest.Sha256), DemoJsonContext.Default.UploadResult, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        });
}
