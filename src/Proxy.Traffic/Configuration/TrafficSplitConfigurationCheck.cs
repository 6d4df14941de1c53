using Microsoft.Extensions.Configuration;
using Yarp.ReverseProxy.Configuration;

namespace Proxy.Traffic.Configuration;

/// <summary>The <c>TrafficSplit</c> section's rules (<see cref="TrafficSplitConfigReader"/>) against the candidate's own <c>ReverseProxy</c> routes and clusters.</summary>
public sealed class TrafficSplitConfigurationCheck(IEnumerable<IProxyConfigProvider> providers) : IConfigurationCheck
{
    public IEnumerable<string> Check(IConfiguration candidate) =>
        new TrafficSplitConfigReader(candidate, new ProxyTopology(candidate, providers)).Read().Errors;
}
