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
/// the rest of the pipeline through that cluster's breaker. A request the breaker rejects, or whose cluster has no
/// available destination, goes to the fallback; an idempotent, bodiless request whose cluster refused the connection
/// is sent once more to the fallback. On every route it first answers the methods the gateway never forwards
/// (<see cref="RefusedMethod"/>), so that they reach no cluster.
/// </summary>
public sealed class TrafficSplitMiddleware(
    RequestDelegate next,
    SplitStore store,
    ClusterHealthRegistry health,
    IProxyStateLookup proxyState,
    TrafficSplitConfigState configState,
    TrafficMetrics metrics,
    ClusterMetricWindows windows,
    UpstreamFailureLog failureLog,
    TimeProvider timeProvider,
    RandomBucketSource random)
{
    public Task InvokeAsync(HttpContext context)
    {
        var route = context.GetReverseProxyFeature().Route;
        if (RefusedMethod.Applies(context))
        {
            metrics.RecordRefused(route.Config.RouteId, context.Request.Method);
            return RefusedMethod.WriteAsync(context);
        }

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

        var decision = SplitDecider.Decide(context.Request, snapshot, effective.Layout, random);
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
            IssuedStickyKey.Set(context, key);
        }

        // Each attempt awaits the breaker here rather than in a helper: one async frame (and its box) fewer per request.
        var outcome = TryStartAttempt(context, route, snapshot, index, out var resilience)
            ? EndAttempt(context, resilience, await ForwardThroughBreakerAsync(context, effective, index, resilience).ConfigureAwait(false))
            : null;
        if (outcome == ForwardingOutcome.TransportFailure)
        {
            RecordFailure(context, snapshot, index);
        }

        if (outcome is { } sent && ForwardingOutcome.FailedBeforeResponse(context, sent) && IsReplayable(context))
        {
            // The upstream refused or dropped the connection before answering: safe to send elsewhere, once.
            ForgetAttempt(context);
            outcome = null;
            kind = SplitDecisionKind.Failover;
        }
        else if (outcome is null)
        {
            kind = SplitDecisionKind.Fallback;
        }

        if (outcome is null)
        {
            // Nothing was sent (breaker open, no available destination) or it may be sent again: stable, else the
            // healthiest other cluster, else (when that one cannot take it either) the next one.
            var first = index;
            index = effective.FallbackFor(first);
            outcome = index >= 0 && TryStartAttempt(context, route, snapshot, index, out resilience)
                ? EndAttempt(context, resilience, await ForwardThroughBreakerAsync(context, effective, index, resilience).ConfigureAwait(false))
                : null;
            if (outcome is null && index >= 0 && effective.FallbackFor(first, index) is var another and >= 0)
            {
                index = another;
                outcome = TryStartAttempt(context, route, snapshot, index, out resilience)
                    ? EndAttempt(context, resilience, await ForwardThroughBreakerAsync(context, effective, index, resilience).ConfigureAwait(false))
                    : null;
            }

            if (outcome is null)
            {
                await NoHealthyClusterResponse.WriteAsync(context, snapshot, effective).ConfigureAwait(false);
                return;
            }

            if (outcome == ForwardingOutcome.TransportFailure)
            {
                RecordFailure(context, snapshot, index);
            }
        }

        Observe(context, snapshot, index, kind, outcome.Value, started);
    }

    private void Observe(HttpContext context, SplitSnapshot snapshot, int index, SplitDecisionKind kind, int outcome, long started)
    {
        var clusterId = snapshot.ClusterIds[index];
        metrics.RecordRequest(snapshot.RouteId, clusterId, kind, context.Response.StatusCode, outcome, timeProvider.GetElapsedTime(started));
        windows.Record(clusterId, outcome, started);
        // The server span (YARP's own forwarder span is Activity.Current here).
        if (context.Features.Get<IHttpActivityFeature>()?.Activity is { IsAllDataRequested: true } activity)
        {
            activity.SetTag(TrafficTelemetry.RouteTag, snapshot.RouteId);
            activity.SetTag(TrafficTelemetry.ClusterTag, clusterId);
            activity.SetTag(TrafficTelemetry.DecisionTag, TrafficMetrics.DecisionName(kind));
        }
    }

    /// <summary>
    /// Readies an attempt on the cluster at <paramref name="index"/>: false when nothing can be sent there (the cluster has no
    /// available destination), else the request is assigned to the cluster and <paramref name="resilience"/> is the
    /// breaker's context for <see cref="ForwardThroughBreakerAsync"/>, which <see cref="EndAttempt"/> returns to the pool.
    /// </summary>
    private bool TryStartAttempt(HttpContext context, RouteModel route, SplitSnapshot snapshot, int index, out ResilienceContext resilience)
    {
        resilience = null!;
        var clusterId = snapshot.ClusterIds[index];

        // A cluster the split names but YARP has not loaded (yet) leaves the request on the route's own cluster.
        if (proxyState.TryGetCluster(clusterId, out var cluster) && !ReferenceEquals(context.GetReverseProxyFeature().Cluster, cluster.Model))
        {
            context.ReassignProxyRequest(route, cluster);
        }

        // YARP's health may have taken the cluster's last destination out before the breaker heard of it (active
        // health isolates right after, passive health never does): the list is the one load balancing will use.
        if (context.GetReverseProxyFeature().AvailableDestinations.Count == 0)
        {
            return false;
        }

        if (configState.ServedByHeader is { } header)
        {
            context.Response.Headers[header] = clusterId;
        }

        resilience = ResilienceContextPool.Shared.Get(context.RequestAborted);
        return true;
    }

    /// <summary>Runs the rest of the pipeline through the cluster's breaker; a rejected attempt comes back as a <see cref="BrokenCircuitException"/> outcome.</summary>
    private ValueTask<Outcome<int>> ForwardThroughBreakerAsync(HttpContext context, EffectiveSplit effective, int index, ResilienceContext resilience) =>
        effective.Breakers[index].ExecuteAsync(
            static async (_, attempt) =>
            {
                await attempt.Next(attempt.Context).ConfigureAwait(false);
                return Outcome.FromResult(ForwardingOutcome.Classify(attempt.Context));
            },
            resilience,
            new ForwardAttempt(next, context));

    /// <summary>
    /// The <see cref="ForwardingOutcome"/> of an attempt, or null when nothing was sent (the breaker rejected it, or load
    /// balancing found no destination after all); returns the breaker's context to the pool.
    /// </summary>
    private static int? EndAttempt(HttpContext context, ResilienceContext resilience, Outcome<int> outcome)
    {
        ResilienceContextPool.Shared.Return(resilience);
        if (outcome.Exception is BrokenCircuitException)
        {
            return null;
        }

        outcome.ThrowIfException();
        if (outcome.Result == ForwardingOutcome.NoDestination && !context.Response.HasStarted)
        {
            // Session affinity or a custom policy left none: nothing was sent either.
            ForgetAttempt(context);
            return null;
        }

        return outcome.Result;
    }

    private void RecordFailure(HttpContext context, SplitSnapshot snapshot, int index)
    {
        if (context.Features.Get<IForwarderErrorFeature>() is { } error)
        {
            failureLog.Record(snapshot.RouteId, snapshot.ClusterIds[index], error.Error, error.Exception);
        }
    }

    private static void ForgetAttempt(HttpContext context)
    {
        context.Features.Set<IForwarderErrorFeature>(null);
        context.GetReverseProxyFeature().ProxiedDestination = null;
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private static bool IsReplayable(HttpContext context)
    {
        // No connection could be made: SocketsHttpHandler reads a request body only once connected, so nothing of it
        // was read or sent and any request, a POST with a body too, can go elsewhere (Envoy's retry_on: connect-failure).
        if (context.Features.Get<IForwarderErrorFeature>()?.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError })
        {
            return true;
        }

        var method = context.Request.Method;
        return (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method))
            && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != true;
    }

    /// <summary>
    /// The state of a forward through a breaker. A struct of its own, not a tuple of two references: Polly's generic
    /// methods then get code of their own for it instead of the shared code of reference instantiations, which looks its
    /// types up at run time on every call (a few % of the split step's samples in the profile, docs/benchmarks.md).
    /// </summary>
    private readonly record struct ForwardAttempt(RequestDelegate Next, HttpContext Context);

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
