using FluentValidation;
using Proxy.Traffic.Rollouts.Metrics;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Rollouts;

/// <summary>The plan's recovery settings: a gradual rollback's weights and interval, and the fleet confirmation's timeout.</summary>
public sealed partial class RolloutPlanValidator
{
    private const int MaxRollbackSteps = 20;
    private static readonly TimeSpan MinFleetTimeout = TimeSpan.FromSeconds(1);

    private static void CheckRecovery(ValidationContext<StartRolloutRequest> context, StartRolloutRequest request)
    {
        CheckDuration(context, "analysis.fleetTimeout", request.Analysis?.FleetTimeout, MinFleetTimeout, MaxPause);
        if (request.Rollback is not { } rollback)
        {
            return;
        }

        CheckDuration(context, "rollback.interval", rollback.Interval, MinInterval, ClusterMetricWindow.History);
        if (rollback.Steps is not { Count: > 0 and <= MaxRollbackSteps } steps)
        {
            context.AddFailure("rollback.steps", $"a gradual rollback needs 1 to {MaxRollbackSteps} weights, strictly decreasing, ending at 0, e.g. [50, 20, 0]");
            return;
        }

        decimal? previous = null;
        for (var i = 0; i < steps.Count; i++)
        {
            var percent = steps[i];
            if (!BasisPoints.IsValidPercent(percent))
            {
                context.AddFailure($"rollback.steps[{i}]", "a weight from 0 to 100 with at most two decimals is required");
                continue;
            }

            if (percent >= previous)
            {
                context.AddFailure($"rollback.steps[{i}]", $"weight {percent} is not below the previous weight {previous}: a rollback only moves the candidate down");
            }

            previous = percent;
        }

        if (steps[^1] != 0)
        {
            context.AddFailure("rollback.steps", "the last weight must be 0: a rollback ends with all traffic on stable");
        }
    }
}
