namespace Proxy.Traffic.State;

/// <summary>What one gateway instance has in force, as it reports it to the fleet: applied revision per route, breaker per cluster.</summary>
/// <param name="Instance">The instance's name in the fleet.</param>
/// <param name="At">When it reported.</param>
/// <param name="Stale">True when its splits may lag behind the shared store.</param>
/// <param name="Revisions">The revision in force for each route.</param>
/// <param name="Breakers">Each split cluster's breaker state on this instance (breakers are per instance).</param>
public sealed record InstanceReport(
    string Instance,
    DateTimeOffset At,
    bool Stale,
    IReadOnlyDictionary<string, long> Revisions,
    IReadOnlyDictionary<string, string> Breakers);
