using System.Text.Json.Serialization;
using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Rollouts.Analysis;
using Proxy.Traffic.Rollouts.Fleet;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Admin.Contracts;

/// <summary>
/// A route's current (or latest) rollout: where it stands, its weights, its latest verdicts with their figures and what
/// comes next; with several gateway instances, <c>leader</c> names the instance that drives it, and
/// <c>fleetConfirmation</c> the instances a step still waits for; <c>gate</c> the hook it waits at (phase <c>Waiting</c>).
/// </summary>
public sealed partial record RolloutResponse(
    string Route,
    long Id,
    string Candidate,
    string Stable,
    string Strategy,
    string Phase,
    int Step,
    int StepCount,
    IReadOnlyDictionary<string, decimal> Weights,
    DateTimeOffset StartedAt,
    DateTimeOffset StepStartedAt,
    string? NextAction,
    DateTimeOffset? NextActionAt,
    DateTimeOffset? NextAnalysisAt,
    int ConsecutiveFailures,
    IReadOnlyList<VerdictResponse> Verdicts,
    IReadOnlyList<RolloutEvent> Events,
    string? Leader,
    bool DryRun = false,
    FleetConfirmation? FleetConfirmation = null,
    RolloutGateResponse? Gate = null)
{
    /// <summary>The API form of a rollout, with the weights of the split in force.</summary>
    public static RolloutResponse From(RolloutState rollout, SplitSnapshot? split)
    {
        var (next, at) = NextOf(rollout);
        return new RolloutResponse(
            rollout.RouteId,
            rollout.Id,
            rollout.Plan.Candidate,
            rollout.Stable,
            rollout.Plan.Strategy == RolloutStrategy.BlueGreen ? "blueGreen" : "canary",
            rollout.Phase.ToString(),
            rollout.Step,
            rollout.Plan.Steps.Count,
            split is null ? new Dictionary<string, decimal>() : SplitResponse.Percentages(split.Definition.Weights),
            rollout.StartedAt,
            rollout.StepStartedAt,
            next,
            at,
            rollout.IsActive && AnalysisDue(rollout) ? rollout.NextAnalysisAt : null,
            rollout.ConsecutiveFailures,
            rollout.Verdicts.Reverse().Select(VerdictResponse.From).ToArray(),
            rollout.Events,
            rollout.Leader,
            rollout.Plan.Analysis.DryRun,
            rollout.FleetConfirmation,
            RolloutGateResponse.From(rollout));
    }

    private static (string? Action, DateTimeOffset? At) NextOf(RolloutState rollout)
    {
        if (!rollout.IsActive)
        {
            return (null, null);
        }

        if (RecoveryNextOf(rollout) is { } recovery)
        {
            return recovery;
        }

        if (rollout.Phase == RolloutPhase.Waiting && RolloutGateResponse.From(rollout) is { } gate)
        {
            return (gate.NextAction(), null);
        }

        if (rollout.Phase == RolloutPhase.Paused)
        {
            return ("resume (waiting for an operator; analysis goes on)", null);
        }

        var target = rollout.AtLastStep
            ? $"promote {rollout.Plan.Candidate}"
            : $"step {rollout.Step + 2} ({BasisPoints.ToPercent(rollout.Plan.Steps[rollout.Step + 1].BasisPoints)}%)";
        if (rollout.CurrentStep.Pause is not { } pause)
        {
            return rollout.AtLastStep
                ? ($"{target} after a passing analysis", rollout.NextAnalysisAt)
                : ("pause for a resume after a passing analysis", rollout.NextAnalysisAt);
        }

        var stepEnds = rollout.StepStartedAt + pause;
        return ($"{target} after a passing analysis", stepEnds > rollout.NextAnalysisAt ? stepEnds : rollout.NextAnalysisAt);
    }
}

/// <summary>One analysis verdict with the figures it was based on (with rollout hooks, each hook's check; with Prometheus checks, <c>metrics</c>).</summary>
public sealed record VerdictResponse(
    DateTimeOffset At,
    int Step,
    string Verdict,
    ClusterFigures Candidate,
    ClusterFigures Stable,
    double? LatencyPValue,
    string Summary,
    IReadOnlyList<Rollouts.Webhooks.WebhookCheck>? Hooks = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<MetricCheckResponse>? Metrics = null)
{
    /// <summary>The API form of a verdict.</summary>
    public static VerdictResponse From(AnalysisVerdict verdict) => new(
        verdict.At, verdict.Step, verdict.Outcome.ToString().ToLowerInvariant(), verdict.Candidate, verdict.Stable, verdict.LatencyPValue, verdict.Summary, verdict.Hooks,
        verdict.Metrics?.Select(MetricCheckResponse.From).ToArray());
}
