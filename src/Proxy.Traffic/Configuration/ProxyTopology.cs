using Microsoft.Extensions.Configuration;
using Yarp.ReverseProxy.Configuration;

namespace Proxy.Traffic.Configuration;

/// <summary>The route and cluster ids YARP knows, from its config providers and from the standard <c>ReverseProxy</c> section.</summary>
/// <remarks>
/// Both are read because, on a file reload, YARP's provider and our reader react to the same change and either
/// may run first: the section gives the new ids, the providers cover code-based configuration.
/// </remarks>
public sealed class ProxyTopology(IConfiguration configuration, IEnumerable<IProxyConfigProvider> providers)
{
    /// <summary>The configuration section YARP reads by convention.</summary>
    public const string SectionName = "ReverseProxy";

    /// <summary>Known cluster ids.</summary>
    public IReadOnlySet<string> ClusterIds() =>
        Collect(configuration.GetSection($"{SectionName}:Clusters"), p => p.GetConfig().Clusters.Select(c => c.ClusterId));

    /// <summary>Known route ids.</summary>
    public IReadOnlySet<string> RouteIds() =>
        Collect(configuration.GetSection($"{SectionName}:Routes"), p => p.GetConfig().Routes.Select(r => r.RouteId));

    private HashSet<string> Collect(IConfigurationSection section, Func<IProxyConfigProvider, IEnumerable<string>> fromProvider)
    {
        var ids = new HashSet<string>(section.GetChildren().Select(c => c.Key), StringComparer.OrdinalIgnoreCase);
        foreach (var provider in providers)
        {
            ids.UnionWith(fromProvider(provider));
        }

        return ids;
    }
}
