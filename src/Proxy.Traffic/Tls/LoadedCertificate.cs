using System.Security.Cryptography.X509Certificates;

namespace Proxy.Traffic.Tls;

/// <summary>A server certificate in use: where it came from, the certificate, and the fingerprint of the files it was loaded from.</summary>
/// <param name="Source">Its configuration.</param>
/// <param name="Certificate">The certificate with its private key.</param>
/// <param name="Fingerprint">The hash of its files (null for a store certificate).</param>
/// <param name="LoadedAt">When it was loaded.</param>
public sealed record LoadedCertificate(CertificateSource Source, X509Certificate2 Certificate, string? Fingerprint, DateTimeOffset LoadedAt)
{
    /// <summary>The DNS names in its subject alternative names extension.</summary>
    public IReadOnlyList<string> DnsNames =>
        Certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames()).ToArray();
}
