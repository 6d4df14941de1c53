using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Microsoft.AspNetCore.Server.Kestrel;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Proxy.Traffic.Admin;
using Proxy.Traffic.Admin.Listener;
using Proxy.Traffic.Tls;

namespace Proxy.Gateway;

/// <summary>
/// The gateway's Kestrel endpoints: the proxy (<c>Proxy:Urls</c>, HTTP/1.1 and, on HTTPS, HTTP/2 by ALPN), the proxy's
/// cleartext HTTP/2 listeners (<c>Proxy:H2cUrls</c>, prior knowledge, for internal gRPC) and the admin API
/// (<c>Admin:Urls</c>), whose connections are marked so that each answers only its own requests. HTTPS endpoints take
/// their certificate and its chain per handshake from the <see cref="ServerCertificateStore"/> (SNI, renewals), TLS 1.2 and 1.3 only.
/// </summary>
public sealed class GatewayListeners
{
    /// <summary>The setting listing the proxy's h2c listeners.</summary>
    public const string H2cUrlsSetting = "Proxy:H2cUrls";

    private const string ProxyUrlsSetting = "Proxy:Urls";

    private readonly List<Listener> _proxy = [];
    private readonly List<Listener> _h2c = [];
    private readonly List<Listener> _admin = [];

    /// <summary>The proxy's bound addresses from <c>Proxy:Urls</c> (actual ports once started).</summary>
    public IReadOnlyList<Uri> ProxyAddresses => AddressesOf(_proxy);

    /// <summary>The proxy's bound h2c addresses from <c>Proxy:H2cUrls</c>.</summary>
    public IReadOnlyList<Uri> H2cAddresses => AddressesOf(_h2c);

    /// <summary>The admin API's bound addresses (actual ports once started).</summary>
    public IReadOnlyList<Uri> AdminAddresses => AddressesOf(_admin);

    /// <summary>Declares every endpoint on Kestrel, from configuration; throws a <see cref="ListenerConfigurationException"/> for a URL it cannot use.</summary>
    public void Configure(KestrelServerOptions kestrel, IConfiguration configuration)
    {
        var proxyUrls = ReadUrls(configuration, ProxyUrlsSetting, GatewayApplication.DefaultProxyUrls, httpsAllowed: true);
        var h2cUrls = ReadUrls(configuration, H2cUrlsSetting, null, httpsAllowed: false);
        var adminSetting = $"{AdminOptions.SectionName}:Urls";
        var adminUrls = ReadUrls(configuration, adminSetting, AdminOptions.DefaultUrls, httpsAllowed: true);

        var https = proxyUrls.Concat(adminUrls).FirstOrDefault(u => u.IsHttps);
        var certificates = https is null ? null : kestrel.ApplicationServices.GetRequiredService<ServerCertificateStore>();
        if (https is not null && certificates!.IsEmpty)
        {
            throw new ListenerConfigurationException(
                $"{https.Setting}: '{https.Url}' is HTTPS but no certificate is configured; set {TlsOptions.DefaultCertificateSection}:Path "
                + $"(with KeyPath for PEM or Password for PFX) or :Subject, or {TlsOptions.SectionName}:Hosts.");
        }

        // Kestrel's own configuration loader binds the URLs (hosts, ports, "localhost", "*") exactly as it does for "Urls".
        var endpoints = new Dictionary<string, string?>();
        foreach (var url in proxyUrls.Concat(h2cUrls).Concat(adminUrls))
        {
            endpoints[$"Endpoints:{url.Name}:Url"] = url.Url;
        }

        var loader = kestrel.Configure(new ConfigurationBuilder().AddInMemoryCollection(endpoints).Build(), reloadOnChange: false);
        foreach (var url in proxyUrls)
        {
            loader.Endpoint(url.Name, endpoint => _proxy.Add(Declare(endpoint, url, certificates)));
        }

        foreach (var url in h2cUrls)
        {
            loader.Endpoint(url.Name, endpoint =>
            {
                // Without TLS there is no ALPN, so an h2c listener speaks HTTP/2 only (prior knowledge, as gRPC clients do).
                endpoint.ListenOptions.Protocols = HttpProtocols.Http2;
                _h2c.Add(Declare(endpoint, url, certificates));
            });
        }

        foreach (var url in adminUrls)
        {
            loader.Endpoint(url.Name, endpoint =>
            {
                endpoint.ListenOptions.UseTrafficAdminListener();
                _admin.Add(Declare(endpoint, url, certificates));
            });
        }
    }

    private static Listener Declare(EndpointConfiguration endpoint, ListenerUrl url, ServerCertificateStore? certificates)
    {
        if (endpoint.IsHttps)
        {
            UseServerCertificates(endpoint.ListenOptions, certificates!);
        }

        return new Listener(endpoint.ListenOptions, url.IsHttps ? "https" : "http");
    }

    private static void UseServerCertificates(ListenOptions listen, ServerCertificateStore certificates)
    {
        // HTTP/2 first: a client offering both gets it. Without a certificate for the name the handshake fails.
        List<SslApplicationProtocol> alpn = [];
        if (listen.Protocols.HasFlag(HttpProtocols.Http2))
        {
            alpn.Add(SslApplicationProtocol.Http2);
        }

        if (listen.Protocols.HasFlag(HttpProtocols.Http1))
        {
            alpn.Add(SslApplicationProtocol.Http11);
        }

        listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = context => ValueTask.FromResult(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = certificates.SelectContext(context.ClientHelloInfo.ServerName),
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ApplicationProtocols = alpn,
            }),
        });
    }

    private static ListenerUrl[] ReadUrls(IConfiguration configuration, string setting, string? defaultUrls, bool httpsAllowed)
    {
        var urls = (configuration[setting] ?? defaultUrls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var prefix = setting.Replace(":", "", StringComparison.Ordinal);
        return [.. urls.Select((url, i) => new ListenerUrl(setting, $"{prefix}{i}", url, ParseScheme(setting, url, httpsAllowed)))];
    }

    private static bool ParseScheme(string setting, string url, bool httpsAllowed)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            throw new ListenerConfigurationException($"{setting}: '{url}' is not a URL like http://127.0.0.1:8080 or https://0.0.0.0:8443.");
        }

        if (address.Scheme is not ("http" or "https") || (!httpsAllowed && address.Scheme == "https"))
        {
            throw new ListenerConfigurationException($"{setting}: '{url}' must start with {(httpsAllowed ? "http:// or https://" : "http:// (h2c is HTTP/2 without TLS)")}.");
        }

        if (!address.IsUnixPipe && (address.Port is < 0 or > IPEndPoint.MaxPort || string.IsNullOrEmpty(address.Host)))
        {
            throw new ListenerConfigurationException($"{setting}: '{url}' needs a host and a port between 0 and {IPEndPoint.MaxPort}.");
        }

        return address.Scheme == "https";
    }

    private static Uri[] AddressesOf(List<Listener> listeners) =>
        listeners.Select(l => l.Options.EndPoint is IPEndPoint ip ? new Uri($"{l.Scheme}://{ip}/") : new Uri($"{l.Scheme}://{l.Options}/")).ToArray();

    private sealed record ListenerUrl(string Setting, string Name, string Url, bool IsHttps);

    private sealed record Listener(ListenOptions Options, string Scheme);
}
