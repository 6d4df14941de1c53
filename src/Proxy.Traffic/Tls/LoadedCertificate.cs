using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Proxy.Traffic.Tls;

/// <summary>A server certificate in use: where it came from, the certificate, and the fingerprint of the files it was loaded from.</summary>
/// <param name="Source">Its configuration.</param>
/// <param name="Certificate">The certificate with its private key.</param>
/// <param name="Fingerprint">The hash of its files (null for a store certificate).</param>
/// <param name="LoadedAt">When it was loaded.</param>
/// <param name="Context">What a handshake sends: the certificate with its intermediates.</param>
public sealed record LoadedCertificate(CertificateSource Source, X509Certificate2 Certificate, string? Fingerprint, DateTimeOffset LoadedAt, SslStreamCertificateContext Context)
{
    /// <summary>Loads <paramref name="source"/> from <paramref name="files"/> (null for a store certificate) and checks it can serve at <paramref name="now"/>.</summary>
    public static LoadedCertificate Load(CertificateSource source, CertificateFiles? files, DateTimeOffset now)
    {
        var certificate = source.Load(files, now);

        // Offline: the chain is what the files hold; nothing is fetched while a handshake waits.
        var context = SslStreamCertificateContext.Create(certificate, source.Intermediates(files, certificate), offline: true);
        return new LoadedCertificate(source, certificate, files?.Fingerprint, now, context);
    }

    /// <summary>The DNS names in its subject alternative names extension.</summary>
    public IReadOnlyList<string> DnsNames =>
        Certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames()).ToArray();
}
