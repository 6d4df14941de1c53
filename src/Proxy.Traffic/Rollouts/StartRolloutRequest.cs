using System.Text.Json.Serialization;

namespace Proxy.Traffic.Rollouts;

/// <summary>A rollout plan as written: the body that starts a rollout on a route, and a route's declared <c>Rollout</c> in the file.</summary>
/// <param name="Candidate">The cluster to roll out: part of the route's split, not its stable cluster.</param>
/// <param name="Strategy"><c>canary</c> (default) or <c>blueGreen</c>.</param>
/// <param name="Steps">Canary only: the candidate's weights, each with an optional pause (none: wait for a resume; the last step promotes once it passes).</param>
/// <param name="Analysis">How each step is judged.</param>
/// <param name="PrePromotionWindow">Blue/green only: hold the preview (override traffic only) at least this long, until its analysis passes.</param>
/// <param name="PostPromotionWindow">Blue/green only: after the switch, how long the analysis may still roll back (default 3 intervals).</param>
/// <param name="Rollback">A gradual rollback (<c>steps</c> down to 0, one every <c>interval</c>); none rolls back at once.</param>
/// <param name="Webhooks">Hooks called along the rollout (gates, acceptance tests, a kill switch…), see docs/rollouts.md "Webhooks and gates".</param>
/// <param name="Template">A plan of <c>TrafficSplit:RolloutTemplates</c> this one starts from; the fields given here override its own (docs/rollouts.md, "Templates").</param>
/// <remarks>Every member has a default so that the configuration binder can also read it (a rollout declared in a route's split).</remarks>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record StartRolloutRequest(
    string? Candidate = null,
    string? Strategy = null,
    IReadOnlyList<RolloutStepRequest>? Steps = null,
    RolloutAnalysisRequest? Analysis = null,
    TimeSpan? PrePromotionWindow = null,
    TimeSpan? PostPromotionWindow = null,
    RolloutRollbackRequest? Rollback = null,
    IReadOnlyList<Webhooks.RolloutWebhookRequest>? Webhooks = null,
    string? Template = null);

/// <summary>One canary step.</summary>
/// <param name="Weight">The candidate's weight in percent: at most 100, at most two decimals; above 0, except a mirror step (0, judged on <c>maxDiffRate</c>).</param>
/// <param name="Pause">How long to hold the step once its analysis passes, e.g. <c>"00:02:00"</c>; none waits for a resume.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RolloutStepRequest(decimal? Weight = null, TimeSpan? Pause = null);

/// <summary>The analysis of a rollout: at least one limit.</summary>
/// <param name="Interval">Window length, e.g. <c>"00:00:10"</c> (100 ms to 3 minutes).</param>
/// <param name="MinRequests">Requests the candidate must serve in a window for a verdict (default 50).</param>
/// <param name="MaxErrorRate">Absolute limit on the candidate's failure rate, 0–1.</param>
/// <param name="MaxP99LatencyMs">Absolute limit on the candidate's p99 latency.</param>
/// <param name="MaxErrorRateIncrease">Candidate's error rate may exceed stable's (same window) by at most this, 0–1.</param>
/// <param name="MaxLatencyFactor">Candidate's latency may be at most this many times stable's (Mann-Whitney U test), ≥ 1.</param>
/// <param name="FailureLimit">Consecutive failed verdicts that roll back (default 1).</param>
/// <param name="InconclusiveTimeout">How long verdicts may stay inconclusive (default 5 intervals).</param>
/// <param name="OnInconclusive"><c>rollback</c> (default) or <c>pause</c> when that time runs out.</param>
/// <param name="MaxDiffRate">At a preview or a mirror step (weight 0): most share of mirrored requests whose answers differ beyond noise, 0–1.</param>
/// <param name="DryRun">Record verdicts and would-be actions without acting: the split is never changed.</param>
/// <param name="FleetTimeout">With several instances: how long a step may wait for all of them to apply it before the rollout pauses (default 1 minute).</param>
/// <param name="Metrics">Checks of Prometheus queries, judged every interval beside the gateway's own figures.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RolloutAnalysisRequest(
    TimeSpan? Interval = null,
    int? MinRequests = null,
    double? MaxErrorRate = null,
    double? MaxP99LatencyMs = null,
    double? MaxErrorRateIncrease = null,
    double? MaxLatencyFactor = null,
    int? FailureLimit = null,
    TimeSpan? InconclusiveTimeout = null,
    string? OnInconclusive = null,
    double? MaxDiffRate = null,
    bool? DryRun = null,
    TimeSpan? FleetTimeout = null,
    IReadOnlyList<Analysis.Prometheus.MetricCheckRequest>? Metrics = null);
