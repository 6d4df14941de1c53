using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Proxy.Traffic.Telemetry;

/// <summary>
/// <c>proxy.mirror.differences</c>: candidate answers that differed from the primary's in a field that is neither ignored
/// nor noise, by route, mirror cluster, endpoint and field. Cardinality is bounded by the mirror's limits of endpoints
/// and fields (what is beyond them is tagged <c>(other)</c>).
/// </summary>
public sealed class MirrorDiffMetrics
{
    /// <summary>Metric tag: the endpoint (method and path template).</summary>
    public const string EndpointTag = "proxy.endpoint";

    /// <summary>Metric tag: the field that differed.</summary>
    public const string FieldTag = "proxy.field";

    private readonly Counter<long> _differences;

    public MirrorDiffMetrics(IMeterFactory meterFactory) =>
        _differences = meterFactory.Create(TrafficTelemetry.MeterName).CreateCounter<long>(
            "proxy.mirror.differences",
            "{difference}",
            "Mirrored requests whose candidate answer differed from the primary's in a field beyond noise, by endpoint and field.");

    internal void RecordDifference(string routeId, string clusterId, string endpoint, string? field) =>
        _differences.Add(1, new TagList
        {
            { TrafficTelemetry.RouteTag, routeId },
            { TrafficTelemetry.ClusterTag, clusterId },
            { EndpointTag, endpoint },
            { FieldTag, field ?? Mirroring.Diffs.MirrorDiffs.OtherEndpoint },
        });
}
