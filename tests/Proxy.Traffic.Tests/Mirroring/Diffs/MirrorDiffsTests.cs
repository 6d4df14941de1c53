using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Proxy.Traffic.Mirroring.Diffs;
using Proxy.Traffic.Telemetry;

namespace Proxy.Traffic.Tests.Mirroring.Diffs;

/// <summary>A route's answer comparison: endpoints and fields beyond the limits, in the report and in the metric.</summary>
public sealed class MirrorDiffsTests : IDisposable
{
    private const string Primary = """{"x":1,"y":1,"z":1,"w":1}""";

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    private static MirrorDiffs Diffs(int maxEndpoints, int maxFields) =>
        new("shop", "green", MirrorDiffSettings.Default with { MaxEndpoints = maxEndpoints, MaxFields = maxFields });

    private static CapturedAnswer Json(MirrorDiffs diffs, string body)
    {
        var buffer = new AnswerBuffer(diffs.Memory, MirrorDiffSettings.DefaultMaxBodyBytes);
        buffer.Append(Encoding.UTF8.GetBytes(body));
        return new CapturedAnswer(200, ["application/json"], "application/json", null, buffer);
    }

    private static void Record(MirrorDiffs diffs, MirrorDiffMetrics metrics, string endpoint, string mirror) =>
        diffs.Record(endpoint, Json(diffs, Primary), Json(diffs, mirror), null, metrics);

    private MirrorDiffMetrics Metrics() => new(_services.GetRequiredService<IMeterFactory>());

    [Fact]
    public void Endpoints_beyond_the_limit_are_reported_together_as_other_and_their_requests_counted()
    {
        var diffs = Diffs(maxEndpoints: 2, maxFields: 50);
        var metrics = Metrics();

        Record(diffs, metrics, "GET /a", """{"x":2,"y":1,"z":1,"w":1}""");
        Record(diffs, metrics, "GET /b", Primary);
        Record(diffs, metrics, "GET /c", """{"x":1,"y":1,"z":2,"w":1}""");
        Record(diffs, metrics, "GET /d", Primary);
        Record(diffs, metrics, "GET /a", Primary);

        var report = diffs.Report();

        Assert.Equal((5L, 2L, 2L), (report.Compared, report.Differing, report.OtherEndpointRequests));
        Assert.Equal(
            [("(other)", 2L, 1L), ("GET /a", 2L, 1L), ("GET /b", 1L, 0L)],
            report.Endpoints.Select(e => (e.Endpoint, e.Compared, e.Differing)));
        var other = report.Endpoints.Single(e => e.Endpoint == MirrorDiffs.OtherEndpoint);
        Assert.Equal("$.z", Assert.Single(other.Fields).Field);
        Assert.Equal("$.x", Assert.Single(report.Endpoints.Single(e => e.Endpoint == "GET /a").Fields).Field);
        Assert.Equal((5L, 2L), diffs.Rate());
    }

    [Fact]
    public void Each_differing_field_is_one_difference_tagged_with_route_cluster_endpoint_and_field_and_what_is_past_the_limits_is_other()
    {
        using var collector = new MetricCollector<long>(_services.GetRequiredService<IMeterFactory>(), TrafficTelemetry.MeterName, "proxy.mirror.differences");
        var diffs = Diffs(maxEndpoints: 1, maxFields: 1);
        var metrics = Metrics();

        Record(diffs, metrics, "GET /a", """{"x":2,"y":2,"z":1,"w":1}"""); // $.y is past GET /a's one field
        Record(diffs, metrics, "GET /a", Primary);                          // no difference, no measurement
        Record(diffs, metrics, "GET /b", """{"x":1,"y":1,"z":2,"w":1}"""); // past the one endpoint: (other), its first field
        Record(diffs, metrics, "GET /c", """{"x":1,"y":1,"z":1,"w":2}"""); // (other) has its one field: (other), (other)

        var measurements = collector.GetMeasurementSnapshot();
        Assert.All(measurements, m => Assert.Equal(1, m.Value));
        Assert.All(measurements, m => Assert.Equal(("shop", "green"), ((string?)m.Tags[TrafficTelemetry.RouteTag], (string?)m.Tags[TrafficTelemetry.ClusterTag])));
        Assert.Equal(
            [("(other)", "$.z"), ("(other)", "(other)"), ("GET /a", "$.x"), ("GET /a", "(other)")],
            measurements.Select(m => ((string?)m.Tags[MirrorDiffMetrics.EndpointTag], (string?)m.Tags[MirrorDiffMetrics.FieldTag]))
                .OrderBy(t => t.Item1, StringComparer.Ordinal).ThenBy(t => t.Item2 == "(other)" ? 1 : 0));
        var report = diffs.Report();
        Assert.Equal((2L, 2L), (report.OtherEndpointRequests, report.DroppedFields));
    }
}
