using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Proxy.DemoBackend.Hosting;

/// <summary>Turns the host a demo upstream is given into the IP address it binds and the URLs it reports.</summary>
internal static class ListenAddress
{
    public static IPAddress Parse(string host) => host switch
    {
        // Kestrel cannot bind "localhost" to port 0 (it would need one port on two addresses), so take IPv4 loopback.
        "localhost" => IPAddress.Loopback,
        "*" or "+" => IPAddress.Any,
        _ when IPAddress.TryParse(host.Trim('[', ']'), out var address) => address,
        _ => throw new ArgumentException($"'{host}' must be an IP address, 'localhost' or '*'.", nameof(host)),
    };

    /// <summary>The URL a client on this machine uses: loopback in place of a wildcard address.</summary>
    public static Uri ToBaseAddress(IPAddress address, int port)
    {
        var reachable = address.Equals(IPAddress.Any) ? IPAddress.Loopback
            : address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
            : address;
        return new Uri(ToListenUrl(reachable, port));
    }

    public static string ToListenUrl(IPAddress address, int port)
    {
        var host = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return string.Create(CultureInfo.InvariantCulture, $"http://{host}:{port}/");
    }
}
