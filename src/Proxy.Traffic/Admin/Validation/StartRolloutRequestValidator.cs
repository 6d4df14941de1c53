using FluentValidation;
using Proxy.Traffic.Rollouts;

namespace Proxy.Traffic.Admin.Validation;

/// <summary>A rollout started through the API: a valid <see cref="RolloutPlanValidator">plan</see> whose candidate is a cluster of the route's split other than stable.</summary>
public sealed class StartRolloutRequestValidator : AbstractValidator<StartRolloutRequest>
{
    public StartRolloutRequestValidator()
    {
        // Before the plan's own rules, so that the candidate's errors lead the answer as they always have.
        RuleFor(r => r).Custom((request, context) =>
        {
            if (string.IsNullOrWhiteSpace(request.Candidate))
            {
                return;
            }

            SplitWeightRules.RequireClusterOfSplit(context, "candidate", request.Candidate);
            if (SplitWeightRules.SplitOf(context) is { } split && string.Equals(split.Definition.Stable, request.Candidate, StringComparison.Ordinal))
            {
                context.AddFailure("candidate", $"'{request.Candidate}' is already the stable cluster");
            }
        });
        Include(new RolloutPlanValidator());
    }
}
