using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Proxy.Traffic.Admin.Validation;

/// <summary>
/// Reads admin request bodies strictly: a size limit (413), JSON only (415), unknown or duplicate properties and wrong
/// types refused (400 naming the field). Minimal APIs' own binding would answer such bodies with an empty 400.
/// </summary>
public sealed class AdminRequestReader(IOptions<AdminOptions> admin, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    private readonly JsonSerializerOptions _serializerOptions = Strict(json.Value.SerializerOptions);

    /// <summary>
    /// A copy of <paramref name="options"/> that reads as the admin API reads bodies: duplicate properties refused,
    /// numbers only as numbers. <c>proxyctl lint</c> reads rollout plans with it too, so it refuses what the API would.
    /// </summary>
    public static JsonSerializerOptions Strict(JsonSerializerOptions options) =>
        new(options) { AllowDuplicateProperties = false, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict };

    /// <summary>The body as <typeparamref name="T"/> (null when empty), or the problem that answers it.</summary>
    public async ValueTask<(T? Value, IResult? Problem)> ReadAsync<T>(HttpContext context)
        where T : class
    {
        var request = context.Request;
        var limit = admin.Value.MaxRequestBodyBytes;
        if (request.ContentLength > limit)
        {
            return (null, TooLarge(limit));
        }

        if (request.ContentLength == 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count == 0))
        {
            return (null, null);
        }

        // JSON is UTF-8 (RFC 8259); a body declared in another charset would be misread, not refused.
        if (!request.HasJsonContentType() || !IsUtf8(request))
        {
            return (null, TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "The body must be JSON",
                detail: "Send the body as UTF-8 with 'Content-Type: application/json'."));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(limit + 1);
        try
        {
            var length = 0;
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(length, limit + 1 - length), context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                length += read;
                if (length > limit)
                {
                    return (null, TooLarge(limit));
                }
            }

            return length == 0 ? (null, null) : (JsonSerializer.Deserialize<T>(buffer.AsSpan(0, length), _serializerOptions), null);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(limit));
        }
        catch (JsonException ex)
        {
            return (null, TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [FieldOf(ex.Path)] = [MessageOf(ex)] },
                title: "The body is not valid JSON for this request"));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsUtf8(HttpRequest request) =>
        !Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        || type.Charset.Length == 0
        || type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
        || type.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);

    private static ProblemHttpResult TooLarge(int limit) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "The body is too large",
        detail: $"Admin requests are limited to {limit} bytes (Admin:MaxRequestBodyBytes).");

    // "$.weights['shop-blue']" or "$.weights.blue" → "weights.shop-blue"; "$" or nothing → "body".
    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        return path.TrimStart('$', '.').Replace("['", ".", StringComparison.Ordinal).Replace("']", "", StringComparison.Ordinal).TrimStart('.');
    }

    // System.Text.Json appends "Path: … | LineNumber: … | BytePositionInLine: …"; the field is named separately.
    private static string MessageOf(JsonException exception)
    {
        var message = exception.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
