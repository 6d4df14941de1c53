using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OpenTelemetry.Trace;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.Telemetry;

namespace Proxy.FunctionalTests.Telemetry;

public class TelemetryTests
{
    private static object Split() => Splits.Route("blue", new() { ["blue"] = 50, ["canary"] = 50 });

    [Fact]
    public async Task Request_counts_per_cluster_match_what_the_upstreams_received()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Split());
        using var collector = new MetricCollector<long>(env.Services.GetRequiredService<IMeterFactory>(), TrafficTelemetry.MeterName, "proxy.requests");
        using var client = env.CreateClient(cookies: false);

        await Load.RunAsync(client, 400, parallelism: 4);

        // A request is counted when the split step returns, which can be just after the client has its answer.
        long Counted(string cluster) => collector.GetMeasurementSnapshot().Where(m => (string?)m.Tags[TrafficTelemetry.ClusterTag] == cluster).Sum(m => m.Value);
        await Eventually.TrueAsync(() => Counted("blue") + Counted("canary") == 400, "not every request was counted");
        foreach (var cluster in new[] { "blue", "canary" })
        {
            Assert.Equal(env.Upstream(cluster).Stats.Total, Counted(cluster));
        }

        var measurements = collector.GetMeasurementSnapshot();
        Assert.All(measurements, m => Assert.Equal(("shop", "weight", "2xx"), ((string?)m.Tags[TrafficTelemetry.RouteTag], (string?)m.Tags[TrafficTelemetry.DecisionTag], (string?)m.Tags[TrafficTelemetry.StatusClassTag])));
    }

    [Fact]
    public async Task A_breaker_trip_shows_in_the_state_gauge_and_effective_weights()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Split());
        using var state = new MetricCollector<int>(env.Services.GetRequiredService<IMeterFactory>(), TrafficTelemetry.MeterName, "proxy.cluster.breaker.state");
        using var weight = new MetricCollector<double>(env.Services.GetRequiredService<IMeterFactory>(), TrafficTelemetry.MeterName, "proxy.split.effective_weight");

        await env.Health.IsolateAsync("canary", "test");
        state.RecordObservableInstruments();
        weight.RecordObservableInstruments();

        Assert.Equal(3, state.GetMeasurementSnapshot().Single(m => (string?)m.Tags[TrafficTelemetry.ClusterTag] == "canary").Value);
        Assert.Equal(0, state.GetMeasurementSnapshot().Single(m => (string?)m.Tags[TrafficTelemetry.ClusterTag] == "blue").Value);
        Assert.Equal(100, weight.GetMeasurementSnapshot().Single(m => (string?)m.Tags[TrafficTelemetry.ClusterTag] == "blue").Value);
    }

    [Fact]
    public async Task The_server_span_carries_route_cluster_and_decision()
    {
        var spans = new List<Activity>();
        await using var env = await TestEnvironment.StartAsync(
            ["blue", "canary"],
            Splits.Route("blue", new() { ["blue"] = 100, ["canary"] = 0 }, overrides: [new { Header = "X-Variant", Values = new Dictionary<string, string> { ["canary"] = "canary" } }]),
            configureGateway: b =>
            {
                b.Configuration["Telemetry:Tracing"] = "true";
                b.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans));
            });
        using var client = env.CreateClient(cookies: false);

        await client.GetVersionAsync("/traced", r => r.Headers.Add("X-Variant", "canary"));

        // The upstreams run in this process too: pick the gateway's own server span by its port.
        bool IsGateway(Activity a) => a.Kind == ActivityKind.Server && Equals(a.GetTagItem("server.port"), env.ProxyAddress.Port);
        await Eventually.TrueAsync(() => Exported(spans).Any(IsGateway), "the gateway's server span was not exported");
        var server = Exported(spans).Single(IsGateway);
        Assert.Equal("shop", server.GetTagItem(TrafficTelemetry.RouteTag));
        Assert.Equal("canary", server.GetTagItem(TrafficTelemetry.ClusterTag));
        Assert.Equal("override", server.GetTagItem(TrafficTelemetry.DecisionTag));
    }

    [Fact]
    public async Task Metrics_are_scraped_on_the_admin_port_and_never_served_by_the_proxy_port()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Split());
        using var client = env.CreateClient(cookies: false);
        await Load.RunAsync(client, 20, parallelism: 2);
        using var admin = env.CreateAdminClient(key: null);

        // The exporter caches a scrape for a short while: wait until the traffic shows.
        string scrape = "";
        await Eventually.TrueAsync(
            () => (scrape = admin.GetStringAsync("/metrics").GetAwaiter().GetResult()).Contains("proxy_requests_total{", StringComparison.Ordinal),
            "the scrape has no proxy_requests_total series");

        Assert.Contains("proxy_cluster_breaker_state{", scrape, StringComparison.Ordinal);
        Assert.Contains("proxy_split_effective_weight", scrape, StringComparison.Ordinal);
        Assert.Contains("proxy_request_duration_seconds_bucket{", scrape, StringComparison.Ordinal);
        Assert.Matches("proxy_requests_total\\{[^}]*proxy_cluster=\"canary\"", scrape);

        // On the proxy port, /metrics is just another path of the catch-all route: an upstream answers it.
        Assert.Contains(await client.GetVersionAsync("/metrics"), new[] { "blue", "canary" });
    }

    private static Activity[] Exported(List<Activity> spans)
    {
        lock (spans)
        {
            return [.. spans];
        }
    }
}
