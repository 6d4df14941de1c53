using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Polly;
using Polly.CircuitBreaker;
using Proxy.Traffic.Configuration;
using Proxy.Traffic.Health;
using Proxy.Traffic.Rollouts.Metrics;
using Proxy.Traffic.Telemetry;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Proxy.Traffic.Splitting;

/// <summary>
/// The split step of YARP's proxy pipeline: decides the cluster of a request on a split route, reassigns the
/// request to it (so session affinity, load balancing, passive health and telemetry see that cluster) and runs
/// the rest of the pipeline through that cluster's breaker. A request the breaker rejects goes to the fallback;
/// an idempotent, bodiless request whose cluster refused the connection is sent once more to the fallback.
/// </summary>
public sealed class TrafficSplitMiddleware(
    RequestDelegate next,
    SplitStore store,
    ClusterHealthRegistry health,
    IProxyStateLookup proxyState,
    TrafficSplitConfigState configState,
    TrafficMetrics metrics,
    ClusterMetricWindows windows,
    TimeProvider timeProvider)
{
    public Task InvokeAsync(HttpContext context)
    {
        var route = context.GetReverseProxyFeature().Route;
        return store.TryGetSnapshot(route.Config.RouteId, out var snapshot) ? RouteAsync(context, route, snapshot) : next(context);
    }

    private async Task RouteAsync(HttpContext context, RouteModel route, SplitSnapshot snapshot)
    {
        // One clock for the metrics and the rollout windows, so that a test's FakeTimeProvider drives both.
        var started = timeProvider.GetTimestamp();
        var effective = health.Resolve(snapshot);
        if (effective.Layout is null)
        {
            await NoHealthyClusterResponse.WriteAsync(context, snapshot, effective).ConfigureAwait(false);
            return;
        }

        var decision = SplitDecider.Decide(context.Request, snapshot, effective.Layout);
        var index = decision.ClusterIndex;
        var kind = decision.Kind;
        if (!effective.Available[index])
        {
            index = effective.FallbackFor(index);
            kind = SplitDecisionKind.Fallback;
        }

        if (decision.NewStickyKey is { } key && snapshot.Definition.Sticky is { } sticky)
        {
            IssueStickyCookie(context, sticky, key);
        }

        var outcome = await TryForwardAsync(context, route, snapshot, effective, index).ConfigureAwait(false);
        if (outcome is not null && ForwardingOutcome.FailedBeforeResponse(context) && IsReplayable(context))
        {
            // The upstream refused or dropped the connection before answering: safe to send elsewhere, once.
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.StatusCode = StatusCodes.Status200OK;
            outcome = null;
            kind = SplitDecisionKind.Failover;
        }
        else if (outcome is null)
        {
            kind = SplitDecisionKind.Fallback;
        }

        if (outcome is null)
        {
            index = effective.FallbackFor(index);
            outcome = index < 0 ? null : await TryForwardAsync(context, route, snapshot, effective, index).ConfigureAwait(false);
            if (outcome is null)
            {
                await NoHealthyClusterResponse.WriteAsync(context, snapshot, effective).ConfigureAwait(false);
                return;
            }
        }

        Observe(context, snapshot, index, kind, outcome.Value, started);
    }

    private void Observe(HttpContext context, SplitSnapshot snapshot, int index, SplitDecisionKind kind, int outcome, long started)
    {
        var clusterId = snapshot.ClusterIds[index];
        metrics.RecordRequest(snapshot.RouteId, clusterId, kind, context.Response.StatusCode, timeProvider.GetElapsedTime(started));
        windows.Record(clusterId, outcome, started);
        // The server span (YARP's own forwarder span is Activity.Current here).
        if (context.Features.Get<IHttpActivityFeature>()?.Activity is { IsAllDataRequested: true } activity)
        {
            activity.SetTag(TrafficTelemetry.RouteTag, snapshot.RouteId);
            activity.SetTag(TrafficTelemetry.ClusterTag, clusterId);
            activity.SetTag(TrafficTelemetry.DecisionTag, TrafficMetrics.DecisionName(kind));
        }
    }

    /// <summary>Forwards through the cluster's breaker: the <see cref="ForwardingOutcome"/>, or null when the breaker rejected the attempt (nothing was sent).</summary>
    private async ValueTask<int?> TryForwardAsync(HttpContext context, RouteModel route, SplitSnapshot snapshot, EffectiveSplit effective, int index)
    {
        var clusterId = snapshot.ClusterIds[index];

        // A cluster the split names but YARP has not loaded (yet) leaves the request on the route's own cluster.
        if (proxyState.TryGetCluster(clusterId, out var cluster) && !ReferenceEquals(context.GetReverseProxyFeature().Cluster, cluster.Model))
        {
            context.ReassignProxyRequest(route, cluster);
        }

        if (configState.ServedByHeader is { } header)
        {
            context.Response.Headers[header] = clusterId;
        }

        var resilience = ResilienceContextPool.Shared.Get(context.RequestAborted);
        try
        {
            var outcome = await effective.Breakers[index].ExecuteAsync(
                static async (_, state) =>
                {
                    await state.Next(state.Context).ConfigureAwait(false);
                    return Outcome.FromResult(ForwardingOutcome.Classify(state.Context));
                },
                resilience,
                (Next: next, Context: context)).ConfigureAwait(false);

            if (outcome.Exception is BrokenCircuitException)
            {
                return null;
            }

            outcome.ThrowIfException();
            return outcome.Result;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(resilience);
        }
    }

    private static bool IsReplayable(HttpContext context)
    {
        var method = context.Request.Method;
        return (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method))
            && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != true;
    }

    private static void IssueStickyCookie(HttpContext context, StickySettings sticky, string key) =>
        context.Response.Headers.Append(HeaderNames.SetCookie, new SetCookieHeaderValue(sticky.CookieName, key)
        {
            HttpOnly = true,
            SameSite = Microsoft.Net.Http.Headers.SameSiteMode.Lax,
            Path = "/",
            MaxAge = sticky.CookieMaxAge,
            Secure = context.Request.IsHttps,
        }.ToString());
}
