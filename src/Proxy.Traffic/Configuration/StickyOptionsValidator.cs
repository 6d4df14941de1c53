using FluentValidation;

namespace Proxy.Traffic.Configuration;

/// <summary>Validates sticky settings.</summary>
public sealed class StickyOptionsValidator : AbstractValidator<StickyOptions>
{
    public StickyOptionsValidator()
    {
        RuleFor(s => s.Key)
            .Must(key => StickyKey.TryParse(key, out _, out _))
            .When(s => s.Key is not null)
            .WithMessage((_, key) => $"'{key}' must be 'header:NAME' or 'cookie:NAME'");

        RuleFor(s => s.Cookie)
            .NotEmpty().Matches("^[A-Za-z0-9_.-]+$")
            .WithMessage("the cookie name must be letters, digits, '-', '_' or '.'");

        RuleFor(s => s.CookieMaxAge)
            .GreaterThan(TimeSpan.Zero)
            .WithMessage("the cookie lifetime must be positive");
    }
}
