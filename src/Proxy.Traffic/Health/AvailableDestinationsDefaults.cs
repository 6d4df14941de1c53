using Yarp.ReverseProxy.Configuration;

namespace Proxy.Traffic.Health;

/// <summary>
/// Gives clusters without an explicit policy YARP's <c>HealthyAndUnknown</c> available-destinations policy, so a
/// cluster whose destinations are all unhealthy gets no traffic (rather than all of it, as <c>HealthyOrPanic</c> would).
/// </summary>
internal sealed class AvailableDestinationsDefaults : IProxyConfigFilter
{
    public const string Policy = "HealthyAndUnknown";

    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel)
    {
        if (cluster.HealthCheck?.AvailableDestinationsPolicy is not null)
        {
            return ValueTask.FromResult(cluster);
        }

        var healthCheck = (cluster.HealthCheck ?? new HealthCheckConfig()) with { AvailableDestinationsPolicy = Policy };
        return ValueTask.FromResult(cluster with { HealthCheck = healthCheck });
    }

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel) =>
        ValueTask.FromResult(route);
}
