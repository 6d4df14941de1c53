using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Proxy.Traffic.Health;

/// <summary>
/// Reads a gRPC answer's real outcome, for the breaker, the rollout windows and the mirror comparison. gRPC failures travel as HTTP 200 with a <c>grpc-status</c> trailer (or in the headers
/// of a trailers-only answer), so the status code alone would count a canary failing every call as healthy.
/// </summary>
internal static class GrpcOutcome
{
    private const string GrpcContentType = "application/grpc";

    /// <summary>
    /// For a gRPC answer, the HTTP status its <c>grpc-status</c> stands for: 5xx for what is the version's failure
    /// (UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, UNKNOWN, RESOURCE_EXHAUSTED, DATA_LOSS, or no status at all), 4xx for
    /// what is the caller's (INVALID_ARGUMENT, NOT_FOUND, …), 200 for OK. Any other answer keeps <paramref name="status"/>;
    /// it costs a non-gRPC request one content-type prefix check.
    /// </summary>
    public static int Adjust(HttpContext context, int status)
    {
        if (status != StatusCodes.Status200OK
            || context.Response.ContentType is not { } contentType
            || !contentType.StartsWith(GrpcContentType, StringComparison.OrdinalIgnoreCase))
        {
            return status;
        }

        var grpcStatus = context.Response.Headers["grpc-status"];
        if (grpcStatus.Count == 0 && context.Features.Get<IHttpResponseTrailersFeature>() is { } trailers)
        {
            grpcStatus = trailers.Trailers["grpc-status"];
        }

        return int.TryParse(grpcStatus.ToString(), out var code) ? ToHttpStatus(code) : StatusCodes.Status502BadGateway;
    }

    /// <summary>The same for an answer read with <see cref="HttpClient"/> (a mirror copy), once its body has been read to the end.</summary>
    public static int Adjust(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (status != StatusCodes.Status200OK
            || response.Content.Headers.ContentType?.MediaType is not { } mediaType
            || !mediaType.StartsWith(GrpcContentType, StringComparison.OrdinalIgnoreCase))
        {
            return status;
        }

        var found = response.Headers.TryGetValues("grpc-status", out var values) || response.TrailingHeaders.TryGetValues("grpc-status", out values);
        return found && int.TryParse(values!.FirstOrDefault(), out var code) ? ToHttpStatus(code) : StatusCodes.Status502BadGateway;
    }

    private static int ToHttpStatus(int grpcStatus) => grpcStatus switch
    {
        0 => StatusCodes.Status200OK,
        1 => StatusCodes.Status499ClientClosedRequest, // CANCELLED
        3 or 9 or 11 => StatusCodes.Status400BadRequest, // INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE
        4 => StatusCodes.Status504GatewayTimeout, // DEADLINE_EXCEEDED
        5 or 12 => StatusCodes.Status404NotFound, // NOT_FOUND, UNIMPLEMENTED
        6 or 10 => StatusCodes.Status409Conflict, // ALREADY_EXISTS, ABORTED
        7 => StatusCodes.Status403Forbidden, // PERMISSION_DENIED
        8 or 14 => StatusCodes.Status503ServiceUnavailable, // RESOURCE_EXHAUSTED, UNAVAILABLE
        16 => StatusCodes.Status401Unauthorized, // UNAUTHENTICATED
        _ => StatusCodes.Status500InternalServerError, // UNKNOWN (2), INTERNAL (13), DATA_LOSS (15), and codes gRPC does not define
    };
}
