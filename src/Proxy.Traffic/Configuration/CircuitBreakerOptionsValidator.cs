using FluentValidation;

namespace Proxy.Traffic.Configuration;

/// <summary>Validates breaker thresholds within the bounds Polly's circuit breaker accepts.</summary>
public sealed class CircuitBreakerOptionsValidator : AbstractValidator<CircuitBreakerOptions>
{
    private static readonly TimeSpan Minimum = TimeSpan.FromMilliseconds(500);

    public CircuitBreakerOptionsValidator()
    {
        RuleFor(o => o.FailureRatio).Must(r => r is > 0 and <= 1).When(o => o.FailureRatio is not null)
            .WithMessage("must be greater than 0 and at most 1");
        RuleFor(o => o.MinimumThroughput).GreaterThanOrEqualTo(2).When(o => o.MinimumThroughput is not null)
            .WithMessage("must be at least 2");
        RuleFor(o => o.SamplingDuration).GreaterThanOrEqualTo(Minimum).When(o => o.SamplingDuration is not null)
            .WithMessage("must be at least 00:00:00.5");
        RuleFor(o => o.BreakDuration).GreaterThanOrEqualTo(Minimum).When(o => o.BreakDuration is not null)
            .WithMessage("must be at least 00:00:00.5");
    }
}
