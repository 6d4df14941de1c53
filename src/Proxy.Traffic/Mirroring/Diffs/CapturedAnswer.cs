using System.IO.Compression;

namespace Proxy.Traffic.Mirroring.Diffs;

/// <summary>One side's answer to a mirrored request: status, the compared headers (in the settings' order) and the body kept.</summary>
internal sealed class CapturedAnswer(int status, string?[] headers, string? contentType, string? contentEncoding, AnswerBuffer body)
{
    public int Status => status;

    public IReadOnlyList<string?> Headers => headers;

    public string? ContentType => contentType;

    public AnswerBuffer Body => body;

    /// <summary>True when the answer says its body is JSON.</summary>
    public bool IsJson => contentType is { } type && (type.Contains("/json", StringComparison.OrdinalIgnoreCase) || type.Contains("+json", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The body as the application wrote it: gzip, deflate and br bodies are decompressed, up to <paramref name="limit"/>
    /// bytes. Null, with the reason, when the decompressed body is larger or the body is not what its encoding says.
    /// </summary>
    public byte[]? Decoded(long limit, out NotComparedReason? problem)
    {
        problem = null;
        Stream? decoder;
        var input = new MemoryStream(body.Bytes.ToArray(), writable: false);
        switch (contentEncoding?.Trim().ToLowerInvariant())
        {
            case null or "" or "identity":
                return input.ToArray();
            case "gzip":
                decoder = new GZipStream(input, CompressionMode.Decompress);
                break;
            case "deflate":
                decoder = new ZLibStream(input, CompressionMode.Decompress);
                break;
            case "br":
                decoder = new BrotliStream(input, CompressionMode.Decompress);
                break;
            default:
                problem = NotComparedReason.Unreadable;
                return null;
        }

        using (decoder)
        {
            var output = new MemoryStream();
            var chunk = new byte[8192];
            try
            {
                int read;
                while ((read = decoder.Read(chunk)) > 0)
                {
                    if (output.Length + read > limit)
                    {
                        problem = NotComparedReason.BodyTooLarge;
                        return null;
                    }

                    output.Write(chunk, 0, read);
                }
            }
            catch (InvalidDataException)
            {
                problem = NotComparedReason.Unreadable;
                return null;
            }

            return output.ToArray();
        }
    }

    public void Release() => body.Release();
}
