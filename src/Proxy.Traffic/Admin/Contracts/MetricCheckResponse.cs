using System.Text.Json.Serialization;
using Proxy.Traffic.Rollouts.Analysis;
using Proxy.Traffic.Rollouts.Analysis.Prometheus;

namespace Proxy.Traffic.Admin.Contracts;

/// <summary>One Prometheus check of a verdict: its value (or why it has none) against its limits, and what that made of it.</summary>
/// <param name="Name">The check.</param>
/// <param name="Outcome"><c>pass</c>, <c>fail</c> or <c>inconclusive</c>.</param>
/// <param name="Value">The query's value; an infinity is written <c>"Infinity"</c>, no value is null.</param>
/// <param name="Min">The lower limit, if any.</param>
/// <param name="Max">The upper limit, if any.</param>
/// <param name="Detail">Why there is no value.</param>
public sealed record MetricCheckResponse(
    string Name,
    string Outcome,
    [property: JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] double? Value,
    double? Min,
    double? Max,
    string? Detail)
{
    /// <summary>The API form of a check's figures.</summary>
    public static MetricCheckResponse From(MetricCheckFigures figures) =>
        new(figures.Name, figures.Outcome.ToString().ToLowerInvariant(), figures.Value, figures.Min, figures.Max, figures.Detail);

    /// <summary>"checkout-errors = 0.0342 (max 0.01)", as a verdict lists it.</summary>
    public string Describe() => new MetricCheckFigures(
        Name, Enum.TryParse<VerdictOutcome>(Outcome, ignoreCase: true, out var outcome) ? outcome : VerdictOutcome.Inconclusive, Value, Min, Max, Detail).Describe();
}
