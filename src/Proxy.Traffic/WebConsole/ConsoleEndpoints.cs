using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Proxy.Traffic.Admin;
using Proxy.Traffic.Admin.Auth;
using Proxy.Traffic.Admin.Listener;

namespace Proxy.Traffic.WebConsole;

/// <summary>
/// The operator console on the admin listener: <c>GET /</c> and its files, and the session calls (login with an API key,
/// logout, who am I). Everything it shows and does goes through the admin API with the session cookie.
/// </summary>
public static class ConsoleEndpoints
{
    private const int MaxLoginBodyBytes = 4096;

    /// <summary>Maps the console beside <c>MapTrafficAdmin()</c>; like it, it answers on the admin listener only.</summary>
    public static IEndpointConventionBuilder MapTrafficConsole(this IEndpointRouteBuilder endpoints)
    {
        var console = endpoints.MapGroup("").WithMetadata(AdminEndpointMetadata.Instance).ExcludeFromDescription();
        console.MapGet("/", (HttpContext context) => ConsoleAssets.Serve(context, "index.html"));
        console.MapGet("/console/{file}", (HttpContext context, string file) => ConsoleAssets.Serve(context, file));
        console.MapPost("/console/login", LoginAsync);
        console.MapPost("/console/logout", LogoutAsync);
        console.MapGet("/console/session", GetSessionAsync);
        return console;
    }

    /// <summary>The session as the console sees it (204 when not logged in); the request token is for its changes' header.</summary>
    public sealed record SessionResponse(string Name, string Role, string RequestToken, DateTimeOffset ExpiresAt);

    private sealed record LoginRequest(string? Key);

    private static async Task<IResult> LoginAsync(
        HttpContext context, LoginThrottle throttle, ConsoleSessions sessions, IOptionsMonitor<AdminOptions> admin, ILogger<ConsoleSessions> logger)
    {
        var address = context.Connection.RemoteIpAddress ?? IPAddress.None;
        if (throttle.RetryAfter(address) is { } wait)
        {
            ConsoleLog.LoginThrottled(logger, address, wait);
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed logins",
                detail: $"Try again in {Math.Ceiling(wait.TotalSeconds)} seconds.");
        }

        // JSON only: a form on another site cannot send it without the browser asking this listener first (CORS), so no
        // other site can log a browser in with a key of its choosing.
        if (!context.Request.HasJsonContentType())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Send the key as JSON", detail: "POST {\"key\":\"…\"} with Content-Type: application/json.");
        }

        if (context.Request.ContentLength is > MaxLoginBodyBytes)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request is too large", detail: $"At most {MaxLoginBodyBytes} bytes.");
        }

        LoginRequest? body;
        try
        {
            body = await context.Request.ReadFromJsonAsync<LoginRequest>(context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            body = null;
        }

        if (body?.Key is not { Length: > 0 and <= 512 } presented)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["key"] = ["paste an admin API key"] }, title: "The request is not valid");
        }

        if (ApiKeyHasher.Match(presented, admin.CurrentValue.ApiKeys) is not { } key)
        {
            ConsoleLog.LoginFailed(logger, address, throttle.Failed(address));
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The key is not valid", detail: "It is not one of the keys configured under Admin:ApiKeys.");
        }

        var session = sessions.Start(key);
        await context.SignInAsync(ConsoleAuthentication.Scheme, ConsoleAuthentication.PrincipalOf(session), new AuthenticationProperties
        {
            IsPersistent = true,
            ExpiresUtc = session.ExpiresAt,
            AllowRefresh = false,
        }).ConfigureAwait(false);
        ConsoleLog.LoggedIn(logger, key.Name, key.Role, address);
        return TypedResults.Ok(new SessionResponse(session.KeyName, session.Role, session.RequestToken, session.ExpiresAt));
    }

    private static async Task<IResult> LogoutAsync(HttpContext context, ConsoleSessions sessions, ILogger<ConsoleSessions> logger)
    {
        var result = await context.AuthenticateAsync(ConsoleAuthentication.Scheme).ConfigureAwait(false);
        if (result.Principal is { } principal)
        {
            context.User = principal;
            if (ConsoleRequestForgeryFilter.Refusal(context) is { } refusal)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The logout was refused as a cross-site request", detail: refusal);
            }

            var session = ConsoleAuthentication.SessionOf(principal, sessions)!;
            sessions.End(session.Id);
            ConsoleLog.LoggedOut(logger, session.KeyName);
        }

        await context.SignOutAsync(ConsoleAuthentication.Scheme).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> GetSessionAsync(HttpContext context, ConsoleSessions sessions)
    {
        var result = await context.AuthenticateAsync(ConsoleAuthentication.Scheme).ConfigureAwait(false);
        return result.Principal is { } principal && ConsoleAuthentication.SessionOf(principal, sessions) is { } session
            ? TypedResults.Ok(new SessionResponse(session.KeyName, session.Role, session.RequestToken, session.ExpiresAt))
            : TypedResults.NoContent(); // not logged in: the console shows its login (no error for the browser to log)
    }
}
