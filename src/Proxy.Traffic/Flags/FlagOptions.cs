namespace Proxy.Traffic.Flags;

/// <summary>One feature flag as written under <c>TrafficSplit:Flags:{name}</c>.</summary>
public sealed class FlagOptions
{
    /// <summary>Variant name → value (<c>true</c>/<c>false</c> become booleans, numbers numbers, anything else a string).</summary>
    public Dictionary<string, string> Variants { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The variant everyone gets when no rule matches and the rollout does not pick another, and while the flag is off.</summary>
    public string? Default { get; set; }

    /// <summary>The YARP routes whose requests carry the flag upstream; <c>*</c> for every route.</summary>
    public List<string> Routes { get; set; } = [];

    /// <summary>Where a user's key comes from (<c>header:NAME</c> or <c>cookie:NAME</c>); default the gateway's cookie <c>proxy-variant</c>.</summary>
    public string? Key { get; set; }

    /// <summary>Targeting rules, in order: the first that matches decides the variant.</summary>
    public List<FlagRuleOptions> Rules { get; set; } = [];

    /// <summary>Percentage of users (by key) per non-default variant, 0–100 with two decimals at most; the default takes the rest.</summary>
    public Dictionary<string, decimal> Rollout { get; set; } = new(StringComparer.Ordinal);

    /// <summary>False is the kill switch: everyone gets the default variant.</summary>
    public bool Enabled { get; set; } = true;
}

/// <summary>A targeting rule of a flag: exactly one of <see cref="Header"/>, <see cref="Cookie"/>, <see cref="Route"/>, <see cref="Path"/>.</summary>
public sealed class FlagRuleOptions
{
    /// <summary>A request header whose value (case-insensitive) is one of <see cref="Values"/>.</summary>
    public string? Header { get; set; }

    /// <summary>A cookie whose value (case-insensitive) is one of <see cref="Values"/>.</summary>
    public string? Cookie { get; set; }

    /// <summary>The values a header or cookie rule matches.</summary>
    public List<string> Values { get; set; } = [];

    /// <summary>A YARP route id the request is on.</summary>
    public string? Route { get; set; }

    /// <summary>A path prefix (case-insensitive), such as <c>/beta/</c>.</summary>
    public string? Path { get; set; }

    /// <summary>The variant the rule gives.</summary>
    public string? Variant { get; set; }
}
