namespace Proxy.Traffic.Tls;

/// <summary>The gateway's own TLS settings (<c>Proxy:Tls</c>); the default certificate stays in Kestrel's <c>Kestrel:Certificates:Default</c>.</summary>
public sealed class TlsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Proxy:Tls";

    /// <summary>Where Kestrel users already put the default certificate.</summary>
    public const string DefaultCertificateSection = "Kestrel:Certificates:Default";

    /// <summary>Per-host certificates chosen by SNI, keyed by host name or <c>*.example.com</c>.</summary>
    public Dictionary<string, CertificateSettings> Hosts { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How often certificate files are checked for a renewal.</summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(2);
}
