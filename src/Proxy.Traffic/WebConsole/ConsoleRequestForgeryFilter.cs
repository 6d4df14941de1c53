using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Proxy.Traffic.Admin.Auth;

namespace Proxy.Traffic.WebConsole;

/// <summary>
/// Refuses a change made with the console's session cookie unless it carries the session's request token (which a page of
/// another site cannot read) and, when the browser sends one, an <c>Origin</c> of the admin listener itself. Calls made with
/// an API key are not a browser's and pass: the cookie is the only credential a browser sends on its own.
/// </summary>
internal static class ConsoleRequestForgeryFilter
{
    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || !IsConsoleSession(http))
        {
            return await next(context).ConfigureAwait(false);
        }

        return Refusal(http) is { } refusal
            ? TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The change was refused as a cross-site request", detail: refusal)
            : await next(context).ConfigureAwait(false);
    }

    /// <summary>Why the request's session token or origin does not hold, or null when they do.</summary>
    internal static string? Refusal(HttpContext http)
    {
        var sessions = http.RequestServices.GetRequiredService<ConsoleSessions>();
        if (ConsoleAuthentication.SessionOf(http.User, sessions) is not { } session)
        {
            return "The console session has ended; log in again.";
        }

        string? origin = http.Request.Headers.Origin;
        if (origin is not null && !string.Equals(origin, $"{http.Request.Scheme}://{http.Request.Host}", StringComparison.OrdinalIgnoreCase))
        {
            return $"Origin '{origin}' is not the console's.";
        }

        string? token = http.Request.Headers[ConsoleAuthentication.RequestTokenHeader];
        return token is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(session.RequestToken))
            ? null
            : $"The {ConsoleAuthentication.RequestTokenHeader} header is missing or not this session's.";
    }

    private static bool IsConsoleSession(HttpContext http) =>
        !http.User.Identities.Any(i => i.AuthenticationType == AdminAuthorization.ApiKeyScheme && i.IsAuthenticated)
        && http.User.Identities.Any(i => i.AuthenticationType == ConsoleAuthentication.Scheme && i.IsAuthenticated);
}
