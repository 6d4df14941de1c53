using Microsoft.Extensions.Logging;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Rollouts;

/// <summary>
/// Dry run (<c>analysis.dryRun</c>): the rollout never writes the split. It judges the candidate every interval on the
/// traffic it has as the split stands (weights set by an operator, overrides, a mirror), walks its steps in name only
/// (each "would put" the candidate at the step's weight), records "would roll back", "would pause" and "would promote"
/// in its events instead of acting, follows changes of the split made by others (it does not own the split), and holds
/// at its last step once it would have promoted, judging on, until an operator aborts it.
/// </summary>
internal sealed partial class RolloutProgression
{
    private RolloutState EnterDryRunStep(RolloutState rollout, int step, DateTimeOffset now)
    {
        var message = Text($"dry run, step {step + 1} of {rollout.Plan.Steps.Count}: would put {rollout.Plan.Candidate} at {BasisPoints.ToPercent(rollout.Plan.Steps[step].BasisPoints)}%; the split stays as it is ({rollout.Plan.Candidate} at {BasisPoints.ToPercent(CandidateWeight(rollout))}%)");
        LogDryRun(logger, rollout.RouteId, message);
        return AtStep(rollout, step, now).WithEvent(now, message);
    }

    private RolloutState WouldPromote(RolloutState rollout, DateTimeOffset now, string why) => rollout.WouldHavePromoted
        ? rollout
        : WouldAct(rollout with { WouldHavePromoted = true }, now, $"promote {rollout.Plan.Candidate}", why + "; it holds at its last step, judging on, until it is aborted");

    private RolloutState WouldAct(RolloutState rollout, DateTimeOffset now, string action, string why)
    {
        var message = $"dry run: would {action}: {why}";
        LogDryRun(logger, rollout.RouteId, message);
        return rollout.WithEvent(now, message);
    }

    /// <summary>A change of the split by someone else: the dry run judges the new weights, unless its candidate or stable cluster lost its role.</summary>
    private async Task<RolloutState> FollowSplitAsync(RolloutState rollout, SplitSnapshot split, DateTimeOffset now)
    {
        var (_, change) = await LatestChangeAsync(rollout.RouteId).ConfigureAwait(false);
        var followed = rollout with { Revision = split.Revision };
        if (split.IndexOf(rollout.Plan.Candidate) < 0 || !string.Equals(split.Definition.Stable, rollout.Stable, StringComparison.Ordinal))
        {
            return Finish(followed, now, RolloutPhase.Aborted, $"dry run ended by a change of the split: {change}: {rollout.Plan.Candidate} and {rollout.Stable} are no longer its candidate and stable clusters");
        }

        var message = Text($"dry run follows {change}: {rollout.Plan.Candidate} now at {BasisPoints.ToPercent(CandidateWeight(rollout))}%");
        LogDryRun(logger, rollout.RouteId, message);
        return followed.WithEvent(now, message);
    }

    [LoggerMessage(EventId = EventIds.RolloutDryRunAction, Level = LogLevel.Information, Message = "Route {RouteId}: rollout {Action}")]
    private static partial void LogDryRun(ILogger logger, string routeId, string action);
}
