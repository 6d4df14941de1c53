using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Proxy.Traffic.Configuration;

/// <summary>
/// An options section's validators (<see cref="IValidateOptions{TOptions}"/>) run on the candidate, so that a version that
/// would make <see cref="IOptionsMonitor{TOptions}"/> throw (admin keys with a bad hash, say) is refused instead.
/// </summary>
public sealed class OptionsConfigurationCheck<TOptions>(string sectionName, IEnumerable<IValidateOptions<TOptions>> validators) : IConfigurationCheck
    where TOptions : class, new()
{
    public IEnumerable<string> Check(IConfiguration candidate)
    {
        var options = new TOptions();
        try
        {
            candidate.GetSection(sectionName).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            return [$"{sectionName}: {ex.InnerException?.Message ?? ex.Message}"];
        }

        return validators
            .Select(v => v.Validate(Options.DefaultName, options))
            .Where(r => r.Failed)
            .SelectMany(r => r.Failures ?? [r.FailureMessage ?? "invalid"])
            .ToList();
    }
}
