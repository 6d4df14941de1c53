using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Primitives;

namespace Proxy.DemoBackend.Endpoints;

/// <summary>Writes the echo answer <c>{"version","path","instance","method"[,"error"][,"pad"]}</c> with a known Content-Length.</summary>
/// <remarks>This is the benchmark path: names and the server's own values are encoded once, and the JSON is built in a per-thread buffer.</remarks>
internal sealed class EchoResponseWriter
{
    /// <summary>The largest answer <c>?size=</c> pads to; bigger payloads belong to <c>/_demo/download</c>.</summary>
    public const int MaxPaddedSize = 16 * 1024 * 1024;

    // ,"pad":"" before the padding and } after it.
    private const int PadOverhead = 10;
    private const int RetainedBufferCapacity = 64 * 1024;

    private static readonly JsonEncodedText s_versionName = JsonEncodedText.Encode("version");
    private static readonly JsonEncodedText s_pathName = JsonEncodedText.Encode("path");
    private static readonly JsonEncodedText s_instanceName = JsonEncodedText.Encode("instance");
    private static readonly JsonEncodedText s_methodName = JsonEncodedText.Encode("method");
    private static readonly JsonEncodedText s_errorName = JsonEncodedText.Encode("error");
    private static readonly JsonEncodedText s_injectedError = JsonEncodedText.Encode("injected fault");
    private static readonly JsonEncodedText s_padName = JsonEncodedText.Encode("pad");
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
    private static byte[] s_padding = [];

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_json;

    private readonly JsonEncodedText _version;
    private readonly JsonEncodedText _instance;
    private readonly StringValues _versionHeader;

    public EchoResponseWriter(string version, string instance)
    {
        _version = JsonEncodedText.Encode(version, s_writerOptions.Encoder);
        _instance = JsonEncodedText.Encode(instance, s_writerOptions.Encoder);
        _versionHeader = new StringValues(version);
    }

    /// <summary>Adds the <c>X-Demo-Version</c> header every answer of this server carries.</summary>
    public void AddVersionHeader(HttpResponse response) => response.Headers[DemoHeaders.Version] = _versionHeader;

    /// <summary>Writes the whole answer into the response pipe; Kestrel sends it when the request delegate returns.</summary>
    public void Write(HttpContext context, string pathAndQuery, int statusCode, int paddedSize)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        var json = t_json ??= new Utf8JsonWriter(buffer, s_writerOptions);
        buffer.ResetWrittenCount();
        json.Reset(buffer);

        json.WriteStartObject();
        json.WriteString(s_versionName, _version);
        json.WriteString(s_pathName, pathAndQuery);
        json.WriteString(s_instanceName, _instance);
        json.WriteString(s_methodName, context.Request.Method);
        if (statusCode != StatusCodes.Status200OK)
        {
            json.WriteString(s_errorName, s_injectedError);
        }

        var padLength = paddedSize - (int)(json.BytesCommitted + json.BytesPending) - PadOverhead;
        if (padLength > 0)
        {
            json.WriteString(s_padName, Padding(padLength));
        }

        json.WriteEndObject();
        json.Flush();

        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        response.ContentLength = buffer.WrittenCount;
        AddVersionHeader(response);
        response.BodyWriter.Write(buffer.WrittenSpan);

        if (buffer.Capacity > RetainedBufferCapacity)
        {
            // Don't keep a padded answer's buffer alive on this thread.
            t_buffer = null;
            t_json = null;
        }
    }

    private static ReadOnlySpan<byte> Padding(int length)
    {
        var padding = Volatile.Read(ref s_padding);
        if (padding.Length < length)
        {
            padding = new byte[Math.Max(length, 4096)];
            padding.AsSpan().Fill((byte)'x');
            Volatile.Write(ref s_padding, padding);
        }

        return padding.AsSpan(0, length);
    }
}
