using System.Text.Json.Serialization;

namespace Proxy.Traffic.Rollouts.Analysis;

/// <summary>How a rollout judges its candidate: how often, on how much traffic, against which limits, and what to do when it cannot tell.</summary>
/// <param name="Interval">Length of each analysis window; one verdict per interval.</param>
/// <param name="MinRequests">Requests the candidate (and stable, for the relative limits) must have served in a window for a verdict.</param>
/// <param name="MaxErrorRate">Absolute limit on the candidate's failure rate (0–1).</param>
/// <param name="MaxP99LatencyMs">Absolute limit on the candidate's 99th percentile latency.</param>
/// <param name="MaxErrorRateIncrease">Relative limit: candidate's error rate ≤ stable's + this (0–1).</param>
/// <param name="MaxLatencyFactor">Relative limit: candidate's latency not worse than stable's × this, by a Mann-Whitney U test.</param>
/// <param name="FailureLimit">Consecutive failed verdicts that roll the candidate back.</param>
/// <param name="InconclusiveTimeout">How long verdicts may stay inconclusive before <paramref name="OnInconclusive"/> is taken.</param>
/// <param name="OnInconclusive">What to do when that time runs out.</param>
/// <param name="MaxDiffRate">
/// At a step where the candidate has no weight (a preview or a mirror step): most share of mirrored requests whose answers
/// differ from the primary's beyond noise (0–1). Left out of stored JSON when null, so older plans keep their fingerprint.
/// </param>
/// <param name="DryRun">Verdicts and would-be actions are recorded, nothing is acted on: the split is never written. Left out of stored JSON when false.</param>
/// <param name="FleetTimeout">
/// With several instances, how long a step may wait for every live instance to have its revision in force before the
/// rollout pauses; null is <see cref="DefaultFleetTimeout"/>. Left out of stored JSON when null.
/// </param>
/// <param name="Metrics">Checks of Prometheus queries judged beside the gateway's own figures; left out of stored JSON when null.</param>
public sealed record AnalysisSettings(
    TimeSpan Interval,
    int MinRequests,
    double? MaxErrorRate,
    double? MaxP99LatencyMs,
    double? MaxErrorRateIncrease,
    double? MaxLatencyFactor,
    int FailureLimit,
    TimeSpan InconclusiveTimeout,
    InconclusiveAction OnInconclusive,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? MaxDiffRate = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool DryRun = false,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TimeSpan? FleetTimeout = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<Prometheus.MetricCheck>? Metrics = null)
{
    /// <summary>How long a step waits for the fleet when the plan does not say: longer than an instance report lives (3 resync intervals, at least 5 s), so an instance that died drops out of the fleet instead of pausing the rollout.</summary>
    public static readonly TimeSpan DefaultFleetTimeout = TimeSpan.FromMinutes(1);

    /// <summary>The significance level of the latency test.</summary>
    public const double Significance = 0.01;
}

/// <summary>What a rollout does when its analysis stays inconclusive past the timeout.</summary>
public enum InconclusiveAction
{
    /// <summary>Roll back: not enough evidence is not evidence of health.</summary>
    Rollback,

    /// <summary>Pause and wait for an operator.</summary>
    Pause,
}
