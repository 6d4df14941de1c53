using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Proxy.Traffic.Admin.Listener;

namespace Proxy.Traffic.Tls;

/// <summary>
/// The proxy listeners' HTTPS policy, both parts off by default: plain-HTTP requests redirected (308, method and body
/// kept) to <see cref="TlsOptions.HttpsRedirectPort"/>, and <c>Strict-Transport-Security</c> on HTTPS answers. The admin
/// listener is left alone. A redirected request never reaches a cluster, so it counts against none.
/// </summary>
public sealed class HttpsPolicyMiddleware
{
    private readonly RequestDelegate _next;
    private volatile TlsOptions _tls;

    public HttpsPolicyMiddleware(RequestDelegate next, IOptionsMonitor<TlsOptions> options)
    {
        _next = next;

        // Kept here rather than asked of the monitor per request (a dictionary lookup on every proxied request); the
        // middleware lives as long as the monitor, so the registration is never disposed.
        _tls = options.CurrentValue;
        options.OnChange(changed => _tls = changed);
    }

    public Task InvokeAsync(HttpContext context)
    {
        var tls = _tls;
        if ((tls.HttpsRedirectPort is null && tls.HstsMaxAge is null) || AdminListenerFeature.IsAdminRequest(context))
        {
            return _next(context);
        }

        var request = context.Request;
        if (!request.IsHttps && tls.HttpsRedirectPort is { } port)
        {
            var host = port == 443 ? new HostString(request.Host.Host) : new HostString(request.Host.Host, port);
            context.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
            context.Response.Headers.Location = UriHelper.BuildAbsolute("https", host, request.PathBase, request.Path, request.QueryString);
            return Task.CompletedTask;
        }

        if (request.IsHttps && tls.HstsMaxAge is { } maxAge)
        {
            var value = "max-age=" + ((long)maxAge.TotalSeconds).ToString(CultureInfo.InvariantCulture) + (tls.HstsIncludeSubDomains ? "; includeSubDomains" : "");
            context.Response.Headers[HeaderNames.StrictTransportSecurity] = value;
        }

        return _next(context);
    }
}
