using System.IO.Pipelines;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Features;

namespace Proxy.DemoBackend.Endpoints;

/// <summary>Reads request bodies to the end straight from Kestrel's pipe, without copying them into buffers of our own.</summary>
internal static class RequestBody
{
    /// <summary>Reads and discards the body, so the client (or a proxy) can finish sending it and reuse the connection.</summary>
    public static async ValueTask DrainAsync(HttpRequest request, CancellationToken ct)
    {
        if (!CanHaveBody(request))
        {
            return;
        }

        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(ct).ConfigureAwait(false);
            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return;
            }
        }
    }

    /// <summary>Reads the whole body, counting and hashing it as it streams.</summary>
    public static async ValueTask<BodyDigest> DigestAsync(HttpRequest request, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length = 0;
        if (CanHaveBody(request))
        {
            var reader = request.BodyReader;
            while (true)
            {
                var result = await reader.ReadAsync(ct).ConfigureAwait(false);
                length += Append(hash, result);
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }

        return new BodyDigest(length, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static long Append(IncrementalHash hash, ReadResult result)
    {
        foreach (var segment in result.Buffer)
        {
            hash.AppendData(segment.Span);
        }

        return result.Buffer.Length;
    }

    // GET and friends without Content-Length or chunking carry no body: skip the pipe read entirely.
    private static bool CanHaveBody(HttpRequest request) =>
        request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? true;
}
