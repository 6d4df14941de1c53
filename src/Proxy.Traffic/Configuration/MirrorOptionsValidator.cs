using FluentValidation;
using Proxy.Traffic.Mirroring;
using Proxy.Traffic.Mirroring.Diffs;

namespace Proxy.Traffic.Configuration;

/// <summary>Validates a route's <c>Mirror</c> section against the clusters YARP knows; property names are paths below it.</summary>
public sealed class MirrorOptionsValidator : AbstractValidator<MirrorOptions>
{
    public MirrorOptionsValidator(IReadOnlySet<string> knownClusters) =>
        RuleFor(m => m).Custom((mirror, context) =>
        {
            MirrorRules.Check(
                mirror.Cluster, mirror.Percentage, mirror.Methods, mirror.MaxBodyBytes, mirror.MaxConcurrency, mirror.Timeout,
                knownClusters, jsonNames: false, (field, message) => context.AddFailure(field, message));
            MirrorDiffRules.Check(mirror.Diff, jsonNames: false, (field, message) => context.AddFailure(field, message));
        });
}
