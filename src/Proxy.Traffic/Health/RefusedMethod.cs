using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Proxy.Traffic.Health;

/// <summary>
/// Methods the gateway answers itself instead of forwarding, before any cluster is involved: <c>CONNECT</c> (a tunnel,
/// which YARP cannot forward; HTTP/2 WebSocket extended CONNECT still goes through) and <c>TRACE</c> (it would echo
/// the request, cookies and the gateway's forwarding headers included, back to whoever sent it). Both get
/// 405 Method Not Allowed, as nginx answers them.
/// </summary>
internal static class RefusedMethod
{
    /// <summary>The methods a proxy route forwards in general, for the <c>Allow</c> header RFC 9110 asks of a 405.</summary>
    public const string Allowed = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

    private static readonly byte[] ConnectBody = Body("CONNECT");
    private static readonly byte[] TraceBody = Body("TRACE");

    /// <summary>True when the request must not be forwarded. Two length-checked comparisons for every other method.</summary>
    public static bool Applies(HttpContext context)
    {
        var method = context.Request.Method;
        return HttpMethods.IsTrace(method) || (HttpMethods.IsConnect(method) && !IsWebSocketConnect(context));
    }

    /// <summary>Answers 405 with a problem-details body prepared once (no allocation per refused request).</summary>
    public static Task WriteAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        response.Headers[HeaderNames.Allow] = Allowed;
        response.ContentType = "application/problem+json";
        var body = HttpMethods.IsTrace(context.Request.Method) ? TraceBody : ConnectBody;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, 0, body.Length, context.RequestAborted);
    }

    private static bool IsWebSocketConnect(HttpContext context) =>
        context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true, Protocol: var protocol }
        && string.Equals(protocol, "websocket", StringComparison.OrdinalIgnoreCase);

    private static byte[] Body(string method) => System.Text.Encoding.UTF8.GetBytes(
        $$"""{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.6","title":"Method Not Allowed","status":405,"detail":"The gateway does not forward {{method}} requests."}""");
}
