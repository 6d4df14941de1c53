using System.Text.Json.Serialization;

namespace Proxy.Traffic.Rollouts.Analysis.Prometheus;

/// <summary>A check of the analysis on a figure the gateway cannot see itself: a Prometheus query's value, held within limits.</summary>
/// <param name="Name">Names the check in verdicts, events and metrics; unique within the analysis.</param>
/// <param name="Prometheus">Where and what to ask.</param>
/// <param name="Max">The value may be at most this.</param>
/// <param name="Min">The value may be at least this.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record MetricCheckRequest(
    string? Name = null,
    PrometheusQueryRequest? Prometheus = null,
    double? Max = null,
    double? Min = null);

/// <summary>An instant query to Prometheus's HTTP API.</summary>
/// <param name="Address">Prometheus's base address, e.g. <c>http://127.0.0.1:9090</c> (the query goes to <c>{address}/api/v1/query</c>).</param>
/// <param name="Query">PromQL with <c>{{route}}</c>, <c>{{candidate}}</c>, <c>{{stable}}</c> and <c>{{interval}}</c> substituted; a scalar or one series.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record PrometheusQueryRequest(string? Address = null, string? Query = null);
