namespace Proxy.Traffic.Configuration;

/// <summary>The split of one route as written in configuration.</summary>
public sealed class RouteSplitOptions
{
    /// <summary>The cluster that takes all traffic after a rollback and is the fallback for broken clusters.</summary>
    public string? Stable { get; set; }

    /// <summary>Percentage of new traffic per cluster (0–100, two decimals at most, summing to 100).</summary>
    /// <remarks>Held as text so that a value that is not a number is reported rather than silently skipped by the binder.</remarks>
    public Dictionary<string, string> Weights { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Pins users to a version; absent means every request is picked by weight.</summary>
    public StickyOptions? Sticky { get; set; }

    /// <summary>Header or cookie rules that force a cluster, evaluated before stickiness and weights.</summary>
    public List<OverrideRuleOptions> Overrides { get; set; } = [];

    /// <summary>Breaker thresholds for the clusters of this split (over <c>TrafficSplit:CircuitBreaker</c>).</summary>
    public CircuitBreakerOptions? CircuitBreaker { get; set; }

    /// <summary>Copies a share of the route's requests to another cluster and compares the answers (dark launch); absent means none.</summary>
    public MirrorOptions? Mirror { get; set; }

    /// <summary>
    /// A rollout to start when this configuration is applied, in the shape of the admin API's request body
    /// (see docs/rollouts.md, "Declared rollouts"); started once per distinct declaration.
    /// </summary>
    public Rollouts.StartRolloutRequest? Rollout { get; set; }

    /// <summary>An A/B experiment comparing the split's clusters (or a flag's variants) on goals; absent means none (docs/experiments.md).</summary>
    public Experiments.ExperimentOptions? Experiment { get; set; }

    /// <summary>Parses a configured weight (invariant culture).</summary>
    public static bool TryParseWeight(string? text, out decimal percent) =>
        decimal.TryParse(text, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out percent);
}
