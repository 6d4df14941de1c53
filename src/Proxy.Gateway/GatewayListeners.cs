using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Proxy.Traffic.Admin;
using Proxy.Traffic.Admin.Listener;

namespace Proxy.Gateway;

/// <summary>
/// The gateway's two kinds of Kestrel endpoints: the proxy (<c>Proxy:Urls</c>) and the admin API (<c>Admin:Urls</c>),
/// whose connections are marked so that each answers only its own requests.
/// </summary>
public sealed class GatewayListeners
{
    private readonly List<ListenOptions> _proxy = [];
    private readonly List<ListenOptions> _admin = [];

    /// <summary>The proxy's bound addresses (actual ports once started).</summary>
    public IReadOnlyList<Uri> ProxyAddresses => AddressesOf(_proxy);

    /// <summary>The admin API's bound addresses (actual ports once started).</summary>
    public IReadOnlyList<Uri> AdminAddresses => AddressesOf(_admin);

    /// <summary>Declares both sets of endpoints on Kestrel, from configuration.</summary>
    public void Configure(KestrelServerOptions kestrel, IConfiguration configuration)
    {
        var proxyUrls = Split(configuration["Proxy:Urls"] ?? GatewayApplication.DefaultProxyUrls);
        var adminUrls = Split(configuration[$"{AdminOptions.SectionName}:Urls"] ?? AdminOptions.DefaultUrls);

        // Kestrel's own configuration loader parses the URLs (hosts, ports, "localhost", "*") exactly as it does for "Urls".
        var endpoints = new Dictionary<string, string?>();
        for (var i = 0; i < proxyUrls.Length; i++)
        {
            endpoints[$"Endpoints:Proxy{i}:Url"] = proxyUrls[i];
        }

        for (var i = 0; i < adminUrls.Length; i++)
        {
            endpoints[$"Endpoints:Admin{i}:Url"] = adminUrls[i];
        }

        var loader = kestrel.Configure(new ConfigurationBuilder().AddInMemoryCollection(endpoints).Build(), reloadOnChange: false);
        for (var i = 0; i < proxyUrls.Length; i++)
        {
            loader.Endpoint($"Proxy{i}", endpoint => _proxy.Add(endpoint.ListenOptions));
        }

        for (var i = 0; i < adminUrls.Length; i++)
        {
            loader.Endpoint($"Admin{i}", endpoint => _admin.Add(endpoint.ListenOptions.UseTrafficAdminListener()));
        }
    }

    private static string[] Split(string urls) => urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static Uri[] AddressesOf(List<ListenOptions> listeners) =>
        listeners.Select(l => l.EndPoint is IPEndPoint ip ? new Uri($"http://{ip}/") : new Uri($"http://{l}/")).ToArray();
}
