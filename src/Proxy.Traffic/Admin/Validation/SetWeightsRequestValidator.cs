using FluentValidation;
using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Admin.Validation;

/// <summary>Weights: only clusters of the route's split, each 0–100 with at most two decimals, summing to exactly 100 (checked when each is within 0–100).</summary>
public sealed class SetWeightsRequestValidator : AbstractValidator<SetWeightsRequest>
{
    public SetWeightsRequestValidator()
    {
        RuleFor(r => r.Weights).Custom((weights, context) =>
        {
            if (weights is null || weights.Count == 0)
            {
                context.AddFailure("weights", "weights are required: a map of cluster to percent, summing to 100");
                return;
            }

            // Only weights within 0–100 are added up: two near decimal.MaxValue would overflow the sum.
            var sum = 0m;
            var allInRange = true;
            foreach (var (cluster, percent) in weights)
            {
                var field = $"weights.{cluster}";
                SplitWeightRules.RequireClusterOfSplit(context, field, cluster);
                if (!BasisPoints.IsValidPercent(percent))
                {
                    context.AddFailure(field, $"weight {percent} must be between 0 and 100 with at most two decimals");
                }

                if (percent is < 0m or > 100m)
                {
                    allInRange = false;
                    continue;
                }

                sum += percent;
            }

            if (allInRange && sum != 100m)
            {
                context.AddFailure("weights", $"weights sum to {sum}; they must sum to exactly 100");
            }
        });
        this.ReasonRule(r => r.Reason);
    }
}
