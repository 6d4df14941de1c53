using Proxy.Traffic.Health;
using Proxy.Traffic.Mirroring;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Configuration;

/// <summary>The result of reading the <c>TrafficSplit</c> section: definitions when valid, otherwise every error.</summary>
public sealed record TrafficSplitConfig(
    IReadOnlyDictionary<string, SplitDefinition> Routes,
    string? ServedByHeader,
    IReadOnlyList<string> Errors)
{
    /// <summary>Breaker thresholds for clusters no route configures.</summary>
    public CircuitBreakerSettings BreakerDefaults { get; init; } = CircuitBreakerSettings.Default;

    /// <summary>Breaker thresholds per cluster, from the first route (in id order) whose split includes it.</summary>
    public IReadOnlyDictionary<string, CircuitBreakerSettings> Breakers { get; init; } = new Dictionary<string, CircuitBreakerSettings>();

    /// <summary>The mirror of each route that configures one.</summary>
    public IReadOnlyDictionary<string, MirrorSettings> Mirrors { get; init; } = new Dictionary<string, MirrorSettings>();

    /// <summary>The rollouts the file declares, by route.</summary>
    public IReadOnlyDictionary<string, Rollouts.RolloutPlan> DeclaredRollouts { get; init; } = new Dictionary<string, Rollouts.RolloutPlan>();

    /// <summary>For a declared rollout that names a template, what tells its declaration apart (see <see cref="Rollouts.Templates.RolloutTemplateConfiguration.DeclarationFingerprint"/>).</summary>
    public IReadOnlyDictionary<string, string> DeclaredRolloutFingerprints { get; init; } = new Dictionary<string, string>();

    /// <summary>The rollout templates the file declares, by name.</summary>
    public IReadOnlyDictionary<string, Rollouts.StartRolloutRequest> RolloutTemplates { get; init; } = new Dictionary<string, Rollouts.StartRolloutRequest>();

    /// <summary>The feature flags the file declares, by name.</summary>
    public IReadOnlyDictionary<string, Flags.FlagOptions> Flags { get; init; } = new Dictionary<string, Flags.FlagOptions>();

    /// <summary>The experiments the file declares (one per route at most).</summary>
    public IReadOnlyList<Experiments.ExperimentDefinition> Experiments { get; init; } = [];

    /// <summary>The route ids YARP knows, for flags that apply to every route.</summary>
    public IReadOnlyCollection<string> RouteIds { get; init; } = [];

    /// <summary>The routes whose splits include each cluster, comma-separated.</summary>
    public IReadOnlyDictionary<string, string> RoutesByCluster => Routes
        .SelectMany(r => r.Value.Weights.Select(w => (Cluster: w.ClusterId, Route: r.Key)))
        .GroupBy(p => p.Cluster, StringComparer.OrdinalIgnoreCase)
        .ToDictionary(g => g.Key, g => string.Join(", ", g.Select(p => p.Route).Order(StringComparer.Ordinal)), StringComparer.OrdinalIgnoreCase);

    /// <summary>True when the section has no error.</summary>
    public bool IsValid => Errors.Count == 0;

    internal static TrafficSplitConfig Invalid(IReadOnlyList<string> errors) =>
        new(new Dictionary<string, SplitDefinition>(), null, errors);
}
