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

    /// <summary>When set, plain-HTTP proxy requests are answered 308 to <c>https://</c> on this port (off by default).</summary>
    public int? HttpsRedirectPort { get; set; }

    /// <summary>When set, HTTPS proxy answers carry <c>Strict-Transport-Security</c> with this max-age (off by default).</summary>
    public TimeSpan? HstsMaxAge { get; set; }

    /// <summary>Adds <c>includeSubDomains</c> to the HSTS header.</summary>
    public bool HstsIncludeSubDomains { get; set; }

    /// <summary>How often certificate files are checked for a renewal.</summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(2);
}
