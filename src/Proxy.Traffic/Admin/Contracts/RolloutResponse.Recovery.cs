using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Rollouts.Analysis;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Admin.Contracts;

/// <summary>What comes next during a gradual rollback, a wait for the fleet, or a dry run that would have promoted.</summary>
public sealed partial record RolloutResponse
{
    // Neither a walk down nor a step the fleet has not confirmed is analysed.
    private static bool AnalysisDue(RolloutState rollout) => rollout.Phase != RolloutPhase.RollingBack && rollout.FleetConfirmation is null;

    private static (string? Action, DateTimeOffset? At)? RecoveryNextOf(RolloutState rollout)
    {
        if (rollout.Rollback is { } walk)
        {
            var weight = BasisPoints.ToPercent(walk.Weights[Math.Min(walk.Next, walk.Weights.Count - 1)]);
            return (walk.AtLast
                ? $"rollback step {walk.Weights.Count} of {walk.Weights.Count}: all traffic to {rollout.Stable}, ending {walk.Outcome}"
                : $"rollback step {walk.Next + 1} of {walk.Weights.Count}: {rollout.Plan.Candidate} to {weight}%", walk.NextAt);
        }

        if (rollout.FleetConfirmation is { } wait && rollout.Phase == RolloutPhase.Progressing)
        {
            return ($"{wait.Describe()}; the step's analysis starts when all have it, the rollout pauses if not by then",
                wait.Since + (rollout.Plan.Analysis.FleetTimeout ?? AnalysisSettings.DefaultFleetTimeout));
        }

        return rollout.WouldHavePromoted
            ? ("nothing: the dry run would have promoted; it judges on until it is aborted", null)
            : null;
    }
}
