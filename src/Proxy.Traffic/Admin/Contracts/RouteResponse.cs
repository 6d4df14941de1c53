namespace Proxy.Traffic.Admin.Contracts;

/// <summary>The split of one route as the admin API shows it. <see cref="Revision"/> is also the response's ETag.</summary>
/// <param name="Route">The YARP route id.</param>
/// <param name="Revision">The revision in force.</param>
/// <param name="Stable">The stable cluster.</param>
/// <param name="Weights">The configured weights in percent (set by the file or the API), in cluster order.</param>
/// <param name="EffectiveWeights">The weights actually applied after circuit breakers.</param>
/// <param name="ConfigFile">The configuration file's split as last applied; it differs from the weights after runtime changes.</param>
/// <param name="Clusters">Health and breaker state of each cluster of the split.</param>
/// <param name="Sync">Which instance answers and whether its split may lag behind the shared state store.</param>
/// <param name="Rollout">The route's running rollout, if any (details under <c>/rollouts/current</c>).</param>
public sealed record RouteResponse(
    string Route,
    long Revision,
    string Stable,
    IReadOnlyDictionary<string, decimal> Weights,
    IReadOnlyDictionary<string, decimal> EffectiveWeights,
    SplitResponse? ConfigFile,
    IReadOnlyList<ClusterResponse> Clusters,
    SyncResponse Sync,
    RolloutSummaryResponse? Rollout)
{
    /// <summary>The route's mirror (dark launch) and its comparison, when one is in force; details at <c>/api/routes/{id}/mirror</c>.</summary>
    public MirrorResponse? Mirror { get; init; }
}

/// <summary>A running rollout in a route's view: which one, of which candidate, where it stands.</summary>
public sealed record RolloutSummaryResponse(long Id, string Candidate, string Phase, int Step, int StepCount);
