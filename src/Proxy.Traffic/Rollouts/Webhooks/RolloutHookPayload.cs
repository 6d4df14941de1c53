using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Rollouts.Webhooks;

/// <summary>
/// The JSON body of a rollout webhook call: which hook, the rollout (route, id, phase, step of step count, the split's
/// weights in percent, candidate and stable), its latest verdict with the figures, and the hook's own metadata.
/// </summary>
/// <param name="Hook">The hook's name.</param>
/// <param name="Type">Its type (also in the <c>X-Proxy-Event</c> header).</param>
/// <param name="Route">The route.</param>
/// <param name="RolloutId">The rollout's number on the route.</param>
/// <param name="Phase">Where the rollout stands (Progressing, Waiting, Succeeded…).</param>
/// <param name="Step">The current step, 0-based as in the admin API.</param>
/// <param name="StepCount">The plan's number of steps.</param>
/// <param name="Weights">The split's weights in percent.</param>
/// <param name="Candidate">The cluster rolled out.</param>
/// <param name="Stable">The cluster it started from.</param>
/// <param name="Verdict">The latest analysis verdict with its figures, if any.</param>
/// <param name="Metadata">The hook's metadata as the plan gives it.</param>
/// <param name="At">When the call was made.</param>
public sealed record RolloutHookPayload(
    string Hook,
    string Type,
    string Route,
    long RolloutId,
    string Phase,
    int Step,
    int StepCount,
    IReadOnlyDictionary<string, decimal> Weights,
    string Candidate,
    string Stable,
    VerdictResponse? Verdict,
    IReadOnlyDictionary<string, string> Metadata,
    DateTimeOffset At)
{
    /// <summary>The payload of <paramref name="hook"/> for <paramref name="rollout"/> with the split in force.</summary>
    public static RolloutHookPayload Of(RolloutState rollout, RolloutWebhook hook, SplitSnapshot? split, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(hook);
        return new RolloutHookPayload(
            hook.Name,
            hook.Type.Name(),
            rollout.RouteId,
            rollout.Id,
            rollout.Phase.ToString(),
            rollout.Step,
            rollout.Plan.Steps.Count,
            split is null ? new Dictionary<string, decimal>() : SplitResponse.Percentages(split.Definition.Weights),
            rollout.Plan.Candidate,
            rollout.Stable,
            rollout.LastVerdict is { } verdict ? VerdictResponse.From(verdict) : null,
            hook.Metadata,
            at);
    }
}
