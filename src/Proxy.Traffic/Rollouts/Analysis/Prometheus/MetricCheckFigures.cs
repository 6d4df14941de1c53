using System.Globalization;
using System.Text.Json.Serialization;

namespace Proxy.Traffic.Rollouts.Analysis.Prometheus;

/// <summary>What one Prometheus check found in one analysis: its value and outcome, or why it could not tell.</summary>
/// <param name="Name">The check.</param>
/// <param name="Outcome">Pass or fail on the value; inconclusive without one.</param>
/// <param name="Value">The query's value (an infinity is written <c>"Infinity"</c>); none when it gave no number, or NaN.</param>
/// <param name="Min">The check's lower limit, if any.</param>
/// <param name="Max">The check's upper limit, if any.</param>
/// <param name="Detail">Why there is no value: the query returned no series, Prometheus answered 500, …</param>
public sealed record MetricCheckFigures(
    string Name,
    VerdictOutcome Outcome,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [property: JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
    double? Value,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Min,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Max,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail)
{
    /// <summary>The figures of <paramref name="check"/> for a query that answered <paramref name="value"/>.</summary>
    public static MetricCheckFigures Of(MetricCheck check, double value) => double.IsNaN(value)
        ? Inconclusive(check, "the query's value is NaN (a ratio over no requests?)")
        : new(check.Name, check.Judge(value), value, check.Min, check.Max, null);

    /// <summary>The figures of <paramref name="check"/> when its query gave no value, and why.</summary>
    public static MetricCheckFigures Inconclusive(MetricCheck check, string why) => new(check.Name, VerdictOutcome.Inconclusive, null, check.Min, check.Max, why);

    /// <summary>"checkout-errors = 0.0342 (max 0.01)", "checkout-errors inconclusive: the query returned no series (max 0.01)": the figure as a verdict lists it.</summary>
    public string Describe() => $"{ValueText()} ({Limits()})";

    /// <summary>Why the check did not pass, as a verdict's summary says it: "checkout-errors = 0.0342 above the limit 0.01".</summary>
    public string Note() => Outcome switch
    {
        VerdictOutcome.Fail when Value > Max => Invariant($"{ValueText()} above the limit {Max:G6}"),
        VerdictOutcome.Fail => Invariant($"{ValueText()} below the limit {Min:G6}"),
        _ => ValueText(),
    };

    /// <summary>"min 0.9, max 1", "max 0.01".</summary>
    public string Limits() => string.Join(", ", new[] { Min is { } min ? Invariant($"min {min:G6}") : null, Max is { } max ? Invariant($"max {max:G6}") : null }.OfType<string>());

    private string ValueText() => Value is { } value ? Invariant($"{Name} = {value:G6}") : $"{Name} inconclusive: {Detail}";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
