using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;

namespace Proxy.Traffic.WebConsole;

/// <summary>The console's session cookie scheme: names, and the checks run on every request that carries the cookie.</summary>
public static class ConsoleAuthentication
{
    /// <summary>The authentication scheme, accepted by the admin policies beside API keys.</summary>
    public const string Scheme = "AdminConsole";

    /// <summary>The session cookie.</summary>
    public const string CookieName = "proxy-console";

    /// <summary>The header that carries the session's request token on every change made from the console.</summary>
    public const string RequestTokenHeader = "X-Proxy-Console-Token";

    /// <summary>The claim that names the server-side session.</summary>
    public const string SessionClaim = "proxy-console-session";

    /// <summary>The principal of a session: the key's name (the actor of its changes) and role.</summary>
    public static ClaimsPrincipal PrincipalOf(ConsoleSession session) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, session.KeyName), new Claim(ClaimTypes.Role, session.Role), new Claim(SessionClaim, session.Id)], Scheme));

    /// <summary>The session the request's cookie names, if it is still in force.</summary>
    public static ConsoleSession? SessionOf(ClaimsPrincipal user, ConsoleSessions sessions) =>
        user.Identities.FirstOrDefault(i => i.AuthenticationType == Scheme && i.IsAuthenticated)?.FindFirst(SessionClaim) is { } claim ? sessions.Find(claim.Value) : null;

    /// <summary>HttpOnly, SameSite=Strict, Secure on HTTPS, expiring; checked against the server's sessions on each request; never a redirect.</summary>
    public static void Configure(CookieAuthenticationOptions cookie, ConsoleOptions options)
    {
        cookie.Cookie.Name = CookieName;
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Strict;
        cookie.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
        cookie.Cookie.IsEssential = true;
        cookie.ExpireTimeSpan = options.SessionLifetime;
        cookie.SlidingExpiration = false;
        cookie.Events.OnValidatePrincipal = ValidateAsync;

        // The admin API answers 401/403 as problem details (the API key scheme's challenge); the console shows its login.
        cookie.Events.OnRedirectToLogin = _ => Task.CompletedTask;
        cookie.Events.OnRedirectToAccessDenied = _ => Task.CompletedTask;
        cookie.Events.OnRedirectToLogout = _ => Task.CompletedTask;
        cookie.Events.OnRedirectToReturnUrl = _ => Task.CompletedTask;
    }

    // Logged out, expired, or its key removed or changed: the cookie is worth nothing any more.
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var sessions = context.HttpContext.RequestServices.GetService(typeof(ConsoleSessions)) as ConsoleSessions;
        if (context.Principal is null || sessions is null || SessionOf(context.Principal, sessions) is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme).ConfigureAwait(false);
        }
    }
}
