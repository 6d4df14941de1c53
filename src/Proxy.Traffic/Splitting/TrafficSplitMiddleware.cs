using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Proxy.Traffic.Configuration;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Proxy.Traffic.Splitting;

/// <summary>
/// The split step of YARP's proxy pipeline: decides the cluster of a request on a split route and reassigns the
/// request to it, so that session affinity, load balancing, passive health and telemetry all see that cluster.
/// </summary>
public sealed class TrafficSplitMiddleware(RequestDelegate next, SplitStore store, IProxyStateLookup proxyState, TrafficSplitConfigState configState)
{
    public Task InvokeAsync(HttpContext context)
    {
        var feature = context.GetReverseProxyFeature();
        var route = feature.Route;
        if (store.TryGetSnapshot(route.Config.RouteId, out var snapshot))
        {
            Route(context, route, snapshot);
        }

        return next(context);
    }

    private void Route(HttpContext context, RouteModel route, SplitSnapshot snapshot)
    {
        var decision = SplitDecider.Decide(context.Request, snapshot);
        var clusterId = snapshot.ClusterIds[decision.ClusterIndex];

        // A cluster the split names but YARP has not loaded (yet) leaves the request on the route's own cluster.
        if (proxyState.TryGetCluster(clusterId, out var cluster) && !ReferenceEquals(cluster, route.Cluster))
        {
            context.ReassignProxyRequest(route, cluster);
        }

        if (decision.NewStickyKey is { } key && snapshot.Definition.Sticky is { } sticky)
        {
            context.Response.Headers.Append(HeaderNames.SetCookie, new SetCookieHeaderValue(sticky.CookieName, key)
            {
                HttpOnly = true,
                SameSite = Microsoft.Net.Http.Headers.SameSiteMode.Lax,
                Path = "/",
                MaxAge = sticky.CookieMaxAge,
                Secure = context.Request.IsHttps,
            }.ToString());
        }

        if (configState.ServedByHeader is { } header)
        {
            context.Response.Headers[header] = clusterId;
        }
    }
}
