using FluentValidation;
using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.Flags;

namespace Proxy.Traffic.Admin.Validation;

/// <summary>A runtime flag setting: something to set, a default among the flag's variants, rollout shares that add up.</summary>
public sealed class SetFlagRequestValidator : AbstractValidator<SetFlagRequest>
{
    /// <summary>The key under which the filter hands the flag to validation.</summary>
    public const string FlagKey = "flag";

    public SetFlagRequestValidator()
    {
        RuleFor(r => r).Custom((request, context) =>
        {
            if (request.Default is null && request.Rollout is null)
            {
                context.AddFailure("body", "set default, rollout or both");
            }

            if (!context.RootContextData.TryGetValue(FlagKey, out var found) || found is not FeatureFlag flag)
            {
                return;
            }

            if (request.Default is { } variant && flag.IndexOf(variant) < 0)
            {
                context.AddFailure("default", $"variant '{variant}' is not one of the flag's variants ({string.Join(", ", flag.Variants)})");
            }

            if (request.Rollout is { } rollout)
            {
                FlagRules.CheckRollout(rollout, flag.Variants, request.Default ?? flag.Variants[flag.DefaultVariant], "rollout",
                    (field, message) => context.AddFailure(field.Replace(':', '.'), message));
            }
        });
        this.ReasonRule(r => r.Reason);
    }
}
