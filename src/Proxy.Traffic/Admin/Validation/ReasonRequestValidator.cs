using FluentValidation;
using Proxy.Traffic.Admin.Contracts;

namespace Proxy.Traffic.Admin.Validation;

/// <summary>Rollback, undo, isolate, reset: only an optional reason.</summary>
public sealed class ReasonRequestValidator : AbstractValidator<ReasonRequest>
{
    public ReasonRequestValidator() => this.ReasonRule(r => r.Reason);
}
