using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Proxy.FunctionalTests.Tls;

/// <summary>TLS clients for tests: the certificate a handshake presents for a server name, and an HTTP/2 client that records it.</summary>
public static class TlsClients
{
    /// <summary>Opens a new TLS connection to <paramref name="address"/> asking for <paramref name="serverName"/> (SNI) and returns the server's certificate.</summary>
    public static async Task<X509Certificate2> HandshakeAsync(Uri address, string serverName)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, address.Port);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
            ApplicationProtocols = [SslApplicationProtocol.Http2],
        });
        return new X509Certificate2(tls.RemoteCertificate!);
    }

    /// <summary>The thumbprints of the certificates the server sent in a handshake for <paramref name="serverName"/>: its own, then its chain.</summary>
    public static async Task<List<string>> ChainSentAsync(Uri address, string serverName)
    {
        var sent = new List<string>();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, address.Port);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
            {
                // The client puts what the server sent beside the leaf into the chain's extra store.
                sent.Add(((X509Certificate2)certificate!).Thumbprint);
                sent.AddRange(chain!.ChainPolicy.ExtraStore.Select(c => c.Thumbprint));
                return certificate is not null;
            },
        });
        return sent;
    }

    /// <summary>
    /// An HTTP/2-only client that trusts any certificate and adds every server certificate it sees (one per new connection)
    /// to <paramref name="seen"/>.
    /// </summary>
    public static HttpClient Http2(Uri baseAddress, List<string> seen) => new(new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                lock (seen)
                {
                    seen.Add(((X509Certificate2)certificate!).SerialNumber);
                }

                // Self-signed test certificates: any presented certificate is accepted, and recorded.
                return certificate is not null;
            },
        },
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    })
    {
        BaseAddress = baseAddress,
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };
}
