namespace Proxy.Traffic.Configuration;

/// <summary>The <c>TrafficSplit</c> configuration section.</summary>
public sealed class TrafficSplitOptions
{
    /// <summary>The section name.</summary>
    public const string SectionName = "TrafficSplit";

    /// <summary>The split of each route, keyed by YARP route id.</summary>
    public Dictionary<string, RouteSplitOptions> Routes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>When set, every split response carries this header naming the cluster that served it (off by default).</summary>
    public string? ServedByHeader { get; set; }

    /// <summary>Breaker thresholds for every cluster of a split, unless its route says otherwise.</summary>
    public CircuitBreakerOptions? CircuitBreaker { get; set; }

    /// <summary>Feature flags by name, passed upstream in <c>X-Proxy-Flags</c> and served over OFREP (docs/flags.md).</summary>
    public Dictionary<string, Flags.FlagOptions> Flags { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Named rollout plans that an API body or a declared rollout starts from with <c>"template": "name"</c> (docs/rollouts.md, "Templates").</summary>
    public Dictionary<string, Rollouts.StartRolloutRequest?> RolloutTemplates { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
