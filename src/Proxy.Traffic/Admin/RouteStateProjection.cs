using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.Health;
using Proxy.Traffic.Mirroring;
using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Splitting;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Admin;

/// <summary>Builds the admin API's view of a route: its split, the weights breakers leave, the file's split, each cluster's health, the instance's sync state, its running rollout and its mirror.</summary>
public sealed class RouteStateProjection(SplitStore store, ClusterHealthRegistry health, StateSyncStatus sync, RolloutRegistry rollouts, MirrorStore mirrors)
{
    /// <summary>The view of a route at the snapshot given.</summary>
    public RouteResponse Describe(SplitSnapshot split) => new(
        split.RouteId,
        split.Revision,
        split.Definition.Stable,
        SplitResponse.Percentages(split.Definition.Weights),
        SplitResponse.Percentages(health.EffectiveWeights(split)),
        SplitResponse.From(store.GetConfigured(split.RouteId)),
        split.ClusterIds.Select(DescribeCluster).ToArray(),
        new SyncResponse(sync.Instance, sync.IsStale, sync.LastSyncAt, sync.Detail),
        rollouts.Get(split.RouteId) is { IsActive: true } rollout
            ? new RolloutSummaryResponse(rollout.Id, rollout.Plan.Candidate, rollout.Phase.ToString(), rollout.Step, rollout.Plan.Steps.Count)
            : null)
    {
        Mirror = mirrors.TryGet(split.RouteId, out _) ? MirrorResponse.From(split.RouteId, mirrors) : null,
    };

    /// <summary>A cluster's destinations and breaker state.</summary>
    public ClusterResponse DescribeCluster(string clusterId)
    {
        var status = health.GetStatus(clusterId);
        return new ClusterResponse(clusterId, status.HealthyDestinations, status.TotalDestinations, status.Breaker.ToString(), status.Reason);
    }
}
