using FluentValidation;
using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.Configuration;
using Proxy.Traffic.Mirroring;
using Proxy.Traffic.Mirroring.Diffs;

namespace Proxy.Traffic.Admin.Validation;

/// <summary>A runtime mirror: a cluster YARP knows, a percentage with two decimals at most, HTTP methods, limits within bounds.</summary>
public sealed class SetMirrorRequestValidator : AbstractValidator<SetMirrorRequest>
{
    public SetMirrorRequestValidator(ProxyTopology topology)
    {
        RuleFor(r => r).Custom((request, context) => MirrorRules.Check(
            request.Cluster, request.Percentage, request.Methods, request.MaxBodyBytes, request.MaxConcurrency, request.Timeout,
            topology.ClusterIds(), jsonNames: true, (field, message) => context.AddFailure(field, message)));
        RuleFor(r => r).Custom((request, context) => MirrorDiffRules.Check(request.Diff, jsonNames: true, (field, message) => context.AddFailure(field, message)));
        this.ReasonRule(r => r.Reason);
    }
}
