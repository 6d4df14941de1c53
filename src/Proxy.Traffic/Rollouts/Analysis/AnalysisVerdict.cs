using System.Text.Json.Serialization;

namespace Proxy.Traffic.Rollouts.Analysis;

/// <summary>One analysis of a rollout: when, at which step, what it concluded and on which figures.</summary>
/// <param name="At">When the window ended.</param>
/// <param name="Step">The step (0-based) it judged.</param>
/// <param name="Outcome">Pass, fail or inconclusive.</param>
/// <param name="Candidate">The candidate's figures over the window.</param>
/// <param name="Stable">Stable's figures over the same window.</param>
/// <param name="LatencyPValue">p-value of "the candidate is slower than stable × factor", when the test ran.</param>
/// <param name="Summary">Each limit's result, as an operator reads it.</param>
/// <param name="Hooks">The rollout hooks' checks of the window (any that did not answer 2xx failed it); left out of stored JSON when null.</param>
/// <param name="Metrics">Each Prometheus check's figures, when the analysis has checks (left out of stored JSON otherwise).</param>
public sealed record AnalysisVerdict(
    DateTimeOffset At,
    int Step,
    VerdictOutcome Outcome,
    ClusterFigures Candidate,
    ClusterFigures Stable,
    double? LatencyPValue,
    string Summary,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<Webhooks.WebhookCheck>? Hooks = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<Prometheus.MetricCheckFigures>? Metrics = null)
{
    /// <summary>The verdict with its figures, as the rollout's history and logs record it.</summary>
    public string Describe() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"{Outcome.ToString().ToLowerInvariant()} at step {Step + 1}: {Summary} [{Candidate.Describe()}; {Stable.Describe()}{MetricsText()}]");

    /// <summary>"; checkout-errors = 0.0342 (max 0.01)" for each Prometheus check, or nothing.</summary>
    public string MetricsText() => Metrics is { Count: > 0 } checks ? "; " + string.Join("; ", checks.Select(c => c.Describe())) : "";
}

/// <summary>A cluster's figures over an analysis window.</summary>
/// <param name="Cluster">The cluster.</param>
/// <param name="Requests">Requests served.</param>
/// <param name="ErrorRate">Failures over requests (0–1).</param>
/// <param name="P99LatencyMs">99th percentile latency (upper bound of its histogram bucket).</param>
public sealed record ClusterFigures(string Cluster, long Requests, double ErrorRate, double P99LatencyMs)
{
    /// <summary>"canary: 120 requests, 21.7% errors, p99 3.2 ms".</summary>
    public string Describe() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture, $"{Cluster}: {Requests} requests, {AnalysisJudge.Percent(ErrorRate)} errors, p99 {P99LatencyMs:0.#} ms");
}
