using FluentValidation;
using Proxy.Traffic.Admin.Contracts;

namespace Proxy.Traffic.Admin.Validation;

/// <summary>Promote: a cluster of the route's split.</summary>
public sealed class PromoteRequestValidator : AbstractValidator<PromoteRequest>
{
    public PromoteRequestValidator()
    {
        RuleFor(r => r.Cluster).Custom((cluster, context) =>
        {
            if (string.IsNullOrWhiteSpace(cluster))
            {
                context.AddFailure("cluster", "the cluster to promote is required");
                return;
            }

            SplitWeightRules.RequireClusterOfSplit(context, "cluster", cluster);
        });
        this.ReasonRule(r => r.Reason);
    }
}
