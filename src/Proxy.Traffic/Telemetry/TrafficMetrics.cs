using System.Diagnostics;
using System.Diagnostics.Metrics;
using Proxy.Traffic.Health;
using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Telemetry;

/// <summary>
/// The gateway's own metrics (meter <see cref="TrafficTelemetry.MeterName"/>): per-request counters and durations
/// by route, cluster and decision, and gauges of weights, breakers, destinations and rollouts read at collection time.
/// </summary>
public sealed class TrafficMetrics
{
    private static readonly string[] DecisionNames = ["weight", "sticky", "override", "fallback", "failover"];
    private static readonly string[] StatusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx"];

    /// <summary>Buckets of every request-duration histogram (seconds), the same for all so that dashboards line up.</summary>
    internal static readonly InstrumentAdvice<double> DurationAdvice = new() { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] };

    private readonly Counter<long> _requests;
    private readonly Counter<long> _refused;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _changes;
    private readonly Counter<long> _reloads;
    private readonly Counter<long> _recoveries;

    public TrafficMetrics(IMeterFactory meterFactory, SplitStore store, ClusterHealthRegistry health, RolloutRegistry rollouts)
    {
        var meter = meterFactory.Create(TrafficTelemetry.MeterName);
        _requests = meter.CreateCounter<long>(
            "proxy.requests", "{request}", "Requests through split routes, by route, cluster, decision, status class and outcome (answered, upstream_error, upstream_failure, client_aborted, refused).");
        _refused = meter.CreateCounter<long>(
            "proxy.requests.refused", "{request}", "Requests the gateway answered itself without involving a cluster (CONNECT, TRACE), by route and method; they never count against a cluster.");
        _duration = meter.CreateHistogram(
            "proxy.request.duration",
            "s",
            "Duration of requests through split routes, by route and cluster.",
            advice: DurationAdvice);
        _changes = meter.CreateCounter<long>("proxy.split.changes", "{change}", "Applied split changes (revisions), by route and source.");

        _reloads = meter.CreateCounter<long>("proxy.config.reloads", "{reload}", "Configuration reloads of the TrafficSplit section, by outcome (applied, refused).");
        meter.CreateObservableGauge("proxy.split.weight", () => Weights(store, effective: null), "%", "Configured weight of each cluster of each split.");
        meter.CreateObservableGauge("proxy.split.effective_weight", () => Weights(store, health), "%", "Weight applied after breakers.");
        meter.CreateObservableGauge("proxy.split.revision", () => store.GetAll().Select(s => new Measurement<long>(s.Revision, Route(s.RouteId))), "{revision}", "Current revision of each split.");
        meter.CreateObservableGauge("proxy.cluster.breaker.state", () => Clusters(store, health, s => (int)s.Breaker), "{state}", "Breaker state: 0 closed, 1 half-open, 2 open, 3 isolated.");
        meter.CreateObservableGauge("proxy.cluster.destinations.healthy", () => Clusters(store, health, s => s.HealthyDestinations), "{destination}", "Destinations not marked unhealthy.");
        meter.CreateObservableGauge("proxy.cluster.destinations.total", () => Clusters(store, health, s => s.TotalDestinations), "{destination}", "All destinations of the cluster.");

        meter.CreateObservableGauge(
            "proxy.rollout.step",
            () => rollouts.All.Where(r => r.IsActive).Select(r => new Measurement<int>(r.Step, Route(r.RouteId))),
            "{step}",
            "Step (0-based) of each route's running rollout.");
        meter.CreateObservableGauge(
            "proxy.rollout.verdict",
            () => rollouts.All.Where(r => r.IsActive && r.LastVerdict is not null).Select(r => new Measurement<int>((int)r.LastVerdict!.Outcome, Route(r.RouteId))),
            "{verdict}",
            "Latest analysis verdict of each route's running rollout: 1 pass, 0 inconclusive, -1 fail.");

        _recoveries = meter.CreateCounter<long>(
            "proxy.state.recoveries", "{recovery}", "Times this instance found the shared state gone or replaced, by outcome (rebuilt: it wrote the state back; reloaded: another instance had).");
        store.State.Recovered += recovery => _recoveries.Add(1, new KeyValuePair<string, object?>("proxy.outcome", recovery.RebuiltHere ? "rebuilt" : "reloaded"));
        store.Changed += change => _changes.Add(1, new(TrafficTelemetry.RouteTag, change.RouteId), new("proxy.source", SourceName(change.Source)));
    }

    /// <summary>Records one request's outcome (a <see cref="ForwardingOutcome"/>); does nothing when no listener collects these instruments.</summary>
    internal void RecordRequest(string routeId, string clusterId, SplitDecisionKind decision, int statusCode, int outcome, TimeSpan duration)
    {
        if (_requests.Enabled)
        {
            var tags = new TagList
            {
                { TrafficTelemetry.RouteTag, routeId },
                { TrafficTelemetry.ClusterTag, clusterId },
                { TrafficTelemetry.DecisionTag, DecisionNames[(int)decision] },
                { TrafficTelemetry.StatusClassTag, statusCode is >= 100 and < 600 ? StatusClasses[(statusCode / 100) - 1] : "other" },
                { TrafficTelemetry.OutcomeTag, ForwardingOutcome.Name(outcome) },
            };
            _requests.Add(1, tags);
        }

        if (_duration.Enabled)
        {
            _duration.Record(duration.TotalSeconds, new TagList
            {
                { TrafficTelemetry.RouteTag, routeId },
                { TrafficTelemetry.ClusterTag, clusterId },
            });
        }
    }

    /// <summary>Counts a request the gateway refused on its own (see <see cref="RefusedMethod"/>).</summary>
    internal void RecordRefused(string routeId, string method)
    {
        if (_refused.Enabled)
        {
            // Kestrel interns the known methods; CONNECT and TRACE are the only ones refused.
            _refused.Add(1, new KeyValuePair<string, object?>(TrafficTelemetry.RouteTag, routeId), new KeyValuePair<string, object?>("http.request.method", method));
        }
    }

    /// <summary>Counts a configuration reload that was applied or refused.</summary>
    public void RecordReload(bool applied) => _reloads.Add(1, new KeyValuePair<string, object?>("proxy.outcome", applied ? "applied" : "refused"));

    /// <summary>The decision name used in tags.</summary>
    public static string DecisionName(SplitDecisionKind decision) => DecisionNames[(int)decision];

    private static IEnumerable<Measurement<double>> Weights(SplitStore store, ClusterHealthRegistry? effective)
    {
        foreach (var snapshot in store.GetAll())
        {
            var weights = effective is null ? snapshot.Definition.Weights : effective.EffectiveWeights(snapshot);
            foreach (var weight in weights)
            {
                yield return new Measurement<double>((double)BasisPoints.ToPercent(weight.BasisPoints), Route(snapshot.RouteId), Cluster(weight.ClusterId));
            }
        }
    }

    private static IEnumerable<Measurement<int>> Clusters(SplitStore store, ClusterHealthRegistry health, Func<ClusterHealthStatus, int> value) =>
        store.GetAll()
            .SelectMany(s => s.ClusterIds)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(id => new Measurement<int>(value(health.GetStatus(id)), Cluster(id)));

    private static KeyValuePair<string, object?> Route(string routeId) => new(TrafficTelemetry.RouteTag, routeId);

    private static KeyValuePair<string, object?> Cluster(string clusterId) => new(TrafficTelemetry.ClusterTag, clusterId);

    private static string SourceName(SplitChangeSource source) => source switch
    {
        SplitChangeSource.Config => "config",
        SplitChangeSource.Api => "api",
        SplitChangeSource.Rollout => "rollout",
        SplitChangeSource.Remote => "remote",
        _ => "restored",
    };
}
