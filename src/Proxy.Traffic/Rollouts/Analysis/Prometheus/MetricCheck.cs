using System.Text.Json.Serialization;

namespace Proxy.Traffic.Rollouts.Analysis.Prometheus;

/// <summary>A Prometheus check of a rollout's plan: the query judged every interval beside the gateway's own figures.</summary>
/// <param name="Name">The check's name, unique within the analysis.</param>
/// <param name="Prometheus">Where and what to ask.</param>
/// <param name="Max">Highest passing value, if any.</param>
/// <param name="Min">Lowest passing value, if any.</param>
public sealed record MetricCheck(
    string Name,
    PrometheusQuery Prometheus,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Max,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Min)
{
    /// <summary>Pass when the value is within the limits, fail otherwise (an infinity is beyond any finite limit).</summary>
    public VerdictOutcome Judge(double value) =>
        double.IsNaN(value) ? VerdictOutcome.Inconclusive
        : value > Max || value < Min ? VerdictOutcome.Fail
        : VerdictOutcome.Pass;
}

/// <summary>A validated instant query: an absolute http(s) base address and the PromQL before substitution.</summary>
/// <param name="Address">Prometheus's base address.</param>
/// <param name="Query">The query as written, with its <c>{{…}}</c> placeholders.</param>
public sealed record PrometheusQuery(string Address, string Query);
