using Proxy.Traffic.Rollouts.Coordination;

namespace Proxy.Traffic.Rollouts;

/// <summary>The commands a gradual rollback or a dry run does not take.</summary>
public sealed partial class RolloutController
{
    // A walk down takes only an abort (which finishes it at once); a dry run never moves traffic, so it cannot promote.
    private static string? RecoveryRefusal(RolloutState rollout, RolloutCommandKind kind) => kind switch
    {
        not RolloutCommandKind.Abort when rollout.Phase == RolloutPhase.RollingBack =>
            $"rollout {rollout.Id} is rolling back gradually ({rollout.Rollback?.Reason}); abort it to send all traffic to stable at once",
        RolloutCommandKind.Promote when rollout.Plan.Analysis.DryRun =>
            $"rollout {rollout.Id} is a dry run, which never moves traffic; abort it, then promote with POST /api/routes/{rollout.RouteId}/promote or start a rollout that is not a dry run",
        _ => null,
    };
}
