using FluentValidation;
using Microsoft.Extensions.Options;

namespace Proxy.Traffic.State;

/// <summary>Validates the <c>State</c> section at start-up; every error names its configuration path.</summary>
public sealed class StateOptionsValidator : AbstractValidator<StateOptions>, IValidateOptions<StateOptions>
{
    /// <summary>The shortest rollout lease: a few ticks of the rollout controller, which renews it on each.</summary>
    public static readonly TimeSpan MinimumRolloutLease = TimeSpan.FromMilliseconds(500);

    public StateOptionsValidator()
    {
        string[] providers = [StateOptions.SqliteProvider, StateOptions.RedisProvider, StateOptions.InMemoryProvider];
        RuleFor(o => o.Provider)
            .Must(p => providers.Contains(p, StringComparer.OrdinalIgnoreCase))
            .OverridePropertyName("State:Provider")
            .WithMessage(o => $"'{o.Provider}' is not a state provider; use {string.Join(", ", providers)}");
        When(o => o.Uses(StateOptions.RedisProvider), () =>
        {
            RuleFor(o => o.Redis.Configuration).NotEmpty().OverridePropertyName("State:Redis:Configuration").WithMessage("a StackExchange.Redis connection string is required, e.g. redis:6379");
            RuleFor(o => o.Redis.KeyPrefix).NotEmpty().OverridePropertyName("State:Redis:KeyPrefix").WithMessage("a key prefix is required (it separates fleets sharing one Redis)");
            RuleFor(o => o.Redis.ResyncInterval).GreaterThan(TimeSpan.Zero).OverridePropertyName("State:Redis:ResyncInterval").WithMessage("must be a positive duration such as 00:00:01");
            RuleFor(o => o.Redis.RolloutLeaseDuration)
                .GreaterThanOrEqualTo(MinimumRolloutLease)
                .OverridePropertyName("State:Redis:RolloutLeaseDuration")
                .WithMessage($"must be at least {MinimumRolloutLease.TotalMilliseconds} ms: the leader renews it every 100 ms");
        });
    }

    public ValidateOptionsResult Validate(string? name, StateOptions options)
    {
        var result = Validate(options);
        return result.IsValid
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(result.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}"));
    }
}
