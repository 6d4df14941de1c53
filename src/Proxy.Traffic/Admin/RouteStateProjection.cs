using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.Splitting;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Proxy.Traffic.Admin;

/// <summary>Builds the admin API's view of a route: its split, the file's split, and each cluster's health.</summary>
public sealed class RouteStateProjection(SplitStore store, IProxyStateLookup proxyState)
{
    /// <summary>The view of a route at the snapshot given.</summary>
    public RouteResponse Describe(SplitSnapshot split)
    {
        var weights = SplitResponse.Percentages(split.Definition.Weights);
        return new RouteResponse(
            split.RouteId,
            split.Revision,
            split.Definition.Stable,
            weights,
            weights,
            SplitResponse.From(store.GetConfigured(split.RouteId)),
            split.ClusterIds.Select(DescribeCluster).ToArray());
    }

    private ClusterResponse DescribeCluster(string clusterId)
    {
        if (!proxyState.TryGetCluster(clusterId, out var cluster))
        {
            return new ClusterResponse(clusterId, 0, 0, "Closed", "not loaded by YARP");
        }

        var destinations = cluster.Destinations.Values;
        var healthy = destinations.Count(d => d.Health.Active != DestinationHealth.Unhealthy && d.Health.Passive != DestinationHealth.Unhealthy);
        return new ClusterResponse(clusterId, healthy, destinations.Count, "Closed", null);
    }
}
