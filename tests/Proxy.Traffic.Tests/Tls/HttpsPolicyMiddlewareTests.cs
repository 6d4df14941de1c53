using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Proxy.Traffic.Admin.Listener;
using Proxy.Traffic.Tls;

namespace Proxy.Traffic.Tests.Tls;

public class HttpsPolicyMiddlewareTests
{
    [Fact]
    public async Task Both_parts_are_off_by_default()
    {
        var (context, reached) = await InvokeAsync(new TlsOptions(), https: false);

        Assert.True(reached);
        Assert.Equal(200, context.Response.StatusCode);
        Assert.False(context.Response.Headers.ContainsKey("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Plain_http_is_redirected_to_the_https_port_keeping_path_and_query()
    {
        var (context, reached) = await InvokeAsync(new TlsOptions { HttpsRedirectPort = 8443 }, https: false);

        Assert.False(reached);
        Assert.Equal(StatusCodes.Status308PermanentRedirect, context.Response.StatusCode);
        Assert.Equal("https://shop.test:8443/cart?id=7", context.Response.Headers.Location.ToString());
    }

    [Fact]
    public async Task Https_answers_carry_hsts_and_are_not_redirected()
    {
        var (context, reached) = await InvokeAsync(new TlsOptions { HttpsRedirectPort = 443, HstsMaxAge = TimeSpan.FromDays(365), HstsIncludeSubDomains = true }, https: true);

        Assert.True(reached);
        Assert.Equal("max-age=31536000; includeSubDomains", context.Response.Headers.StrictTransportSecurity.ToString());
    }

    [Fact]
    public async Task The_admin_listener_is_left_alone()
    {
        var (context, reached) = await InvokeAsync(new TlsOptions { HttpsRedirectPort = 443 }, https: false, admin: true);

        Assert.True(reached);
        Assert.Equal(200, context.Response.StatusCode);
    }

    [Fact]
    public async Task A_changed_policy_applies_from_the_next_request()
    {
        var options = new ChangeableOptions(new TlsOptions());
        var reached = 0;
        var middleware = new HttpsPolicyMiddleware(_ => { reached++; return Task.CompletedTask; }, options);

        await middleware.InvokeAsync(NewContext(https: false, admin: false));
        options.Change(new TlsOptions { HttpsRedirectPort = 8443 });
        var redirected = NewContext(https: false, admin: false);
        await middleware.InvokeAsync(redirected);

        Assert.Equal(1, reached);
        Assert.Equal(StatusCodes.Status308PermanentRedirect, redirected.Response.StatusCode);
    }

    private static async Task<(HttpContext Context, bool Reached)> InvokeAsync(TlsOptions options, bool https, bool admin = false)
    {
        var context = NewContext(https, admin);
        var reached = false;
        var middleware = new HttpsPolicyMiddleware(_ => { reached = true; return Task.CompletedTask; }, new ChangeableOptions(options));
        await middleware.InvokeAsync(context);
        return (context, reached);
    }

    private static DefaultHttpContext NewContext(bool https, bool admin)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = https ? "https" : "http";
        context.Request.IsHttps = https;
        context.Request.Host = new HostString("shop.test", 8080);
        context.Request.Path = "/cart";
        context.Request.QueryString = new QueryString("?id=7");
        if (admin)
        {
            context.Features.Set(AdminListenerFeature.Instance);
        }

        return context;
    }

    private sealed class ChangeableOptions(TlsOptions value) : IOptionsMonitor<TlsOptions>
    {
        private readonly List<Action<TlsOptions, string?>> _listeners = [];

        public TlsOptions CurrentValue { get; private set; } = value;

        public TlsOptions Get(string? name) => CurrentValue;

        public IDisposable? OnChange(Action<TlsOptions, string?> listener)
        {
            _listeners.Add(listener);
            return null;
        }

        public void Change(TlsOptions changed)
        {
            CurrentValue = changed;
            _listeners.ForEach(listener => listener(changed, Options.DefaultName));
        }
    }
}
