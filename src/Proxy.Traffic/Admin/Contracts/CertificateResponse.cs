using Proxy.Traffic.Tls;

namespace Proxy.Traffic.Admin.Contracts;

/// <summary>One server certificate in use: what it is for, who it names, and when it expires.</summary>
/// <param name="Name"><c>Default</c> or the SNI host it serves.</param>
/// <param name="Setting">The configuration path it comes from.</param>
/// <param name="Source">The file (or store subject) it was loaded from.</param>
/// <param name="Subject">The certificate's subject.</param>
/// <param name="DnsNames">Its subject alternative DNS names.</param>
/// <param name="Serial">Its serial number (hex).</param>
/// <param name="Thumbprint">Its SHA-1 thumbprint (hex).</param>
/// <param name="NotBefore">Start of validity.</param>
/// <param name="NotAfter">End of validity.</param>
/// <param name="ExpiresInSeconds">Seconds until <paramref name="NotAfter"/>, as the metric reports it.</param>
/// <param name="LoadedAt">When the gateway loaded it (start-up or the latest renewal).</param>
public sealed record CertificateResponse(
    string Name,
    string Setting,
    string Source,
    string Subject,
    IReadOnlyList<string> DnsNames,
    string Serial,
    string Thumbprint,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    long ExpiresInSeconds,
    DateTimeOffset LoadedAt)
{
    /// <summary>Describes a certificate in use at <paramref name="now"/>.</summary>
    public static CertificateResponse From(LoadedCertificate loaded, DateTimeOffset now)
    {
        var certificate = loaded.Certificate;
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        var source = loaded.Source.Settings.Path ?? $"store subject {loaded.Source.Settings.Subject}";
        return new CertificateResponse(
            loaded.Source.Name,
            loaded.Source.Setting,
            source,
            certificate.Subject,
            loaded.DnsNames,
            certificate.SerialNumber,
            certificate.Thumbprint,
            new DateTimeOffset(certificate.NotBefore.ToUniversalTime()),
            notAfter,
            (long)(notAfter - now).TotalSeconds,
            loaded.LoadedAt);
    }
}
