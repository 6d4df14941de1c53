using FluentValidation;
using Proxy.Traffic.Admin.Contracts;

namespace Proxy.Traffic.Admin.Validation;

/// <summary>Promote an experiment's arm: an optional arm name (checked against the experiment by the endpoint) and reason.</summary>
public sealed class PromoteArmRequestValidator : AbstractValidator<PromoteArmRequest>
{
    public PromoteArmRequestValidator()
    {
        RuleFor(r => r.Arm).Must(a => a is null || a.Length is > 0 and <= 200).OverridePropertyName("arm").WithMessage("an arm name of 1–200 characters, or none for the winner");
        this.ReasonRule(r => r.Reason);
    }
}
