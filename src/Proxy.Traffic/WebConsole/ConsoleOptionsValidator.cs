using Microsoft.Extensions.Options;

namespace Proxy.Traffic.WebConsole;

/// <summary>Range-checks <c>Admin:Console</c> at start-up; each error names its configuration path.</summary>
public sealed class ConsoleOptionsValidator : IValidateOptions<ConsoleOptions>
{
    public ValidateOptionsResult Validate(string? name, ConsoleOptions options)
    {
        var errors = new List<string>();
        if (options.SessionLifetime < TimeSpan.FromMinutes(1) || options.SessionLifetime > TimeSpan.FromDays(7))
        {
            errors.Add($"{ConsoleOptions.SectionName}:{nameof(options.SessionLifetime)}: must be between 00:01:00 and 7.00:00:00");
        }

        if (options.MaxLoginFailures is < 1 or > 1000)
        {
            errors.Add($"{ConsoleOptions.SectionName}:{nameof(options.MaxLoginFailures)}: {options.MaxLoginFailures} must be between 1 and 1000");
        }

        if (options.LoginFailureWindow < TimeSpan.FromSeconds(1) || options.LoginFailureWindow > TimeSpan.FromHours(1))
        {
            errors.Add($"{ConsoleOptions.SectionName}:{nameof(options.LoginFailureWindow)}: must be between 00:00:01 and 01:00:00");
        }

        if (options.MaxSessions is < 1 or > 100_000)
        {
            errors.Add($"{ConsoleOptions.SectionName}:{nameof(options.MaxSessions)}: {options.MaxSessions} must be between 1 and 100000");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
