using Microsoft.Extensions.Configuration;

namespace Proxy.Traffic.Configuration;

/// <summary>One section's rules, run on a configuration file's new version before it is applied; any error refuses the whole version.</summary>
public interface IConfigurationCheck
{
    /// <summary>Every error of <paramref name="candidate"/> (the configuration as it would be), each naming its configuration path.</summary>
    IEnumerable<string> Check(IConfiguration candidate);
}
