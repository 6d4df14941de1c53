using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace Proxy.Traffic.Configuration;

/// <summary>
/// The configuration as it would be with one provider's data replaced by a candidate version, every other source (other
/// files, environment variables, the command line) as it is now: what a version is validated against before it is applied.
/// </summary>
internal static class CandidateConfiguration
{
    /// <summary>A read-only view; disposing it leaves the live providers alone.</summary>
    public static ConfigurationRoot Of(IConfigurationRoot live, IConfigurationProvider replaced, IDictionary<string, string?> candidate)
    {
        var providers = live.Providers
            .Select(p => ReferenceEquals(p, replaced) ? new MemoryConfigurationProvider(new MemoryConfigurationSource { InitialData = candidate }) : (IConfigurationProvider)new View(p))
            .ToList();
        return new ConfigurationRoot(providers);
    }

    // Reads through to a live provider without loading, watching or disposing it.
    private sealed class View(IConfigurationProvider inner) : IConfigurationProvider
    {
        public bool TryGet(string key, out string? value) => inner.TryGet(key, out value);

        public void Set(string key, string? value)
        {
        }

        public IChangeToken GetReloadToken() => NullChangeToken.Singleton;

        public void Load()
        {
        }

        public IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath) => inner.GetChildKeys(earlierKeys, parentPath);
    }
}
