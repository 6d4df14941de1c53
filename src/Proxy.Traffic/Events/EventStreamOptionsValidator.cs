using Microsoft.Extensions.Options;

namespace Proxy.Traffic.Events;

/// <summary>Range-checks <c>Admin:Events</c> at start-up; each error names its configuration path.</summary>
public sealed class EventStreamOptionsValidator : IValidateOptions<EventStreamOptions>
{
    public ValidateOptionsResult Validate(string? name, EventStreamOptions options)
    {
        var errors = new List<string>();
        Check(errors, nameof(options.BufferedEvents), options.BufferedEvents, 16, 100_000);
        Check(errors, nameof(options.ClientQueue), options.ClientQueue, 16, 100_000);
        Check(errors, nameof(options.MaxClients), options.MaxClients, 1, 10_000);
        if (options.KeepAliveInterval < TimeSpan.FromSeconds(1) || options.KeepAliveInterval > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{EventStreamOptions.SectionName}:{nameof(options.KeepAliveInterval)}: must be between 00:00:01 and 00:05:00");
        }

        if (options.SampleInterval < TimeSpan.FromSeconds(1) || options.SampleInterval > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{EventStreamOptions.SectionName}:{nameof(options.SampleInterval)}: must be between 00:00:01 and 00:01:00");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check(List<string> errors, string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{EventStreamOptions.SectionName}:{name}: {value} must be between {min} and {max}");
        }
    }
}
