namespace Proxy.Traffic.Configuration;

/// <summary>A rule that forces a cluster when a header (or cookie) carries one of the listed values.</summary>
public sealed class OverrideRuleOptions
{
    /// <summary>The header to read; set this or <see cref="Cookie"/>.</summary>
    public string? Header { get; set; }

    /// <summary>The cookie to read; set this or <see cref="Header"/>.</summary>
    public string? Cookie { get; set; }

    /// <summary>Value → cluster id.</summary>
    public Dictionary<string, string> Values { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
