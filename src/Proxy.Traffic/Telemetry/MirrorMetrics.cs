using System.Diagnostics;
using System.Diagnostics.Metrics;
using Proxy.Traffic.Mirroring;

namespace Proxy.Traffic.Telemetry;

/// <summary>
/// Mirroring metrics (meter <see cref="TrafficTelemetry.MeterName"/>, names <c>proxy.mirror.*</c>), tagged with the
/// route and the mirror cluster: copies sent and dropped, comparison results, both sides' durations, copies in flight.
/// </summary>
public sealed class MirrorMetrics
{
    /// <summary>Metric tag: which side of a mirrored request (<c>primary</c>, <c>mirror</c>).</summary>
    public const string SideTag = "proxy.side";

    private static readonly string[] ResultNames = ["match", "status_mismatch", "mirror_error", "mirror_timeout", "primary_not_answered"];
    private static readonly string[] DropNames = ["concurrency", "body_too_large", "body_incomplete"];

    private readonly Counter<long> _sent;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _comparisons;
    private readonly Histogram<double> _duration;

    public MirrorMetrics(IMeterFactory meterFactory, MirrorStore store)
    {
        var meter = meterFactory.Create(TrafficTelemetry.MeterName);
        _sent = meter.CreateCounter<long>("proxy.mirror.sent", "{request}", "Mirror copies started, by route and mirror cluster; each ends as one comparison result.");
        _dropped = meter.CreateCounter<long>("proxy.mirror.dropped", "{request}", "Requests chosen for mirroring whose copy was dropped, by reason (concurrency, body_too_large, body_incomplete).");
        _comparisons = meter.CreateCounter<long>("proxy.mirror.comparisons", "{request}", "Mirrored requests by comparison result (match, status_mismatch, mirror_error, mirror_timeout, primary_not_answered).");
        _duration = meter.CreateHistogram(
            "proxy.mirror.duration",
            "s",
            "Duration of both sides of mirrored requests, by side (primary, mirror) and status class.",
            advice: TrafficMetrics.DurationAdvice);
        meter.CreateObservableGauge(
            "proxy.mirror.in_flight",
            () => store.GetAll().Select(r => new Measurement<int>(r.Comparison.InFlight, Tags(r))),
            "{request}",
            "Mirror copies in flight now, by route and mirror cluster.");
    }

    internal void RecordSent(MirroredRoute route) => _sent.Add(1, Tags(route));

    internal void RecordDrop(MirroredRoute route, MirrorDropReason reason) =>
        _dropped.Add(1, new TagList(Tags(route)) { { "proxy.reason", DropNames[(int)reason] } });

    internal void RecordComparison(MirroredRoute route, MirrorResult result, int primaryStatus, TimeSpan primaryLatency, int? mirrorStatus, TimeSpan? mirrorLatency)
    {
        _comparisons.Add(1, new TagList(Tags(route)) { { "proxy.result", ResultNames[(int)result] } });
        if (!_duration.Enabled || result == MirrorResult.PrimaryNotAnswered)
        {
            return;
        }

        _duration.Record(primaryLatency.TotalSeconds, new TagList(Tags(route)) { { SideTag, "primary" }, { TrafficTelemetry.StatusClassTag, StatusClass(primaryStatus) } });
        if (mirrorStatus is { } status && mirrorLatency is { } latency)
        {
            _duration.Record(latency.TotalSeconds, new TagList(Tags(route)) { { SideTag, "mirror" }, { TrafficTelemetry.StatusClassTag, StatusClass(status) } });
        }
    }

    /// <summary>The tag value of a comparison result.</summary>
    public static string ResultName(MirrorResult result) => ResultNames[(int)result];

    /// <summary>The tag value of a drop reason.</summary>
    public static string DropName(MirrorDropReason reason) => DropNames[(int)reason];

    private static string StatusClass(int statusCode) => MirrorComparison.StatusClasses[MirrorComparison.ClassIndex(statusCode)];

    private static KeyValuePair<string, object?>[] Tags(MirroredRoute route) =>
        [new(TrafficTelemetry.RouteTag, route.RouteId), new(TrafficTelemetry.ClusterTag, route.Settings.ClusterId)];
}
