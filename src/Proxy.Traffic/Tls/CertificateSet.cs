namespace Proxy.Traffic.Tls;

/// <summary>An immutable set of server certificates by name, with the SNI lookup: exact host, then <c>*.parent</c>, then the default.</summary>
internal sealed class CertificateSet
{
    public CertificateSet(Dictionary<string, LoadedCertificate> all)
    {
        All = all;
        Default = all.GetValueOrDefault(CertificateSource.DefaultName);
    }

    public Dictionary<string, LoadedCertificate> All { get; }

    public LoadedCertificate? Default { get; }

    public LoadedCertificate? Select(string? serverName)
    {
        if (string.IsNullOrEmpty(serverName))
        {
            return Default;
        }

        if (All.TryGetValue(serverName, out var exact) && !ReferenceEquals(exact, Default))
        {
            return exact;
        }

        // A wildcard covers exactly one label: *.example.com serves a.example.com, not a.b.example.com.
        var dot = serverName.IndexOf('.');
        if (dot > 0 && All.TryGetValue(string.Concat("*", serverName.AsSpan(dot)), out var wildcard))
        {
            return wildcard;
        }

        return Default;
    }

    /// <summary>A DNS name, or <c>*.</c> followed by one.</summary>
    public static bool IsValidHostPattern(string pattern)
    {
        var name = pattern.StartsWith("*.", StringComparison.Ordinal) ? pattern[2..] : pattern;
        return name.Length is > 0 and <= 253
            && !string.Equals(name, CertificateSource.DefaultName, StringComparison.OrdinalIgnoreCase)
            && Uri.CheckHostName(name) == UriHostNameType.Dns
            && !name.Contains('*');
    }
}
