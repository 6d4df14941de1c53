using Microsoft.Extensions.Configuration;
using Yarp.ReverseProxy.Configuration;

namespace Proxy.Traffic.Configuration;

/// <summary>The <c>TrafficSplit</c> section's rules (<see cref="TrafficSplitConfigReader"/>) against the candidate's own <c>ReverseProxy</c> routes and clusters.</summary>
public sealed class TrafficSplitConfigurationCheck(IEnumerable<IProxyConfigProvider> providers) : IConfigurationCheck
{
    // YARP's provider over the configuration still serves the version in force: a candidate that drops a cluster its
    // split still names must not pass on the strength of the old one. Code-based providers (LoadFromMemory) still count.
    private readonly IProxyConfigProvider[] _codeProviders = [.. providers.Where(p => p.GetType().Name != "ConfigurationConfigProvider")];

    public IEnumerable<string> Check(IConfiguration candidate) =>
        new TrafficSplitConfigReader(candidate, new ProxyTopology(candidate, _codeProviders)).Read().Errors;
}
