using System.Collections.Frozen;

namespace Proxy.Traffic.Flags;

/// <summary>
/// Every flag in force, compiled, and the flags of each route: an immutable set swapped atomically, read by the request
/// path without locks. <see cref="Version"/> changes with every new set (the OFREP bulk answer's ETag).
/// </summary>
public sealed class FlagSet
{
    /// <summary>The set with no flags.</summary>
    public static readonly FlagSet Empty = new([], [], 0);

    private readonly FrozenDictionary<string, FeatureFlag[]> _byRoute;

    public FlagSet(IReadOnlyList<FeatureFlag> flags, IReadOnlyCollection<string> knownRoutes, long version)
    {
        All = flags.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);
        Version = version;
        var byRoute = new Dictionary<string, List<FeatureFlag>>(StringComparer.OrdinalIgnoreCase);
        foreach (var flag in flags.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            foreach (var route in flag.Routes.Contains("*") ? knownRoutes : flag.Routes)
            {
                (byRoute.TryGetValue(route, out var list) ? list : byRoute[route] = []).Add(flag);
            }
        }

        _byRoute = byRoute.ToFrozenDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Every flag by name (names are case-sensitive, as in OpenFeature).</summary>
    public FrozenDictionary<string, FeatureFlag> All { get; }

    /// <summary>Changes whenever a flag changes.</summary>
    public long Version { get; }

    /// <summary>The flags a route's requests carry (in name order), or null: the request path's one lookup.</summary>
    public FeatureFlag[]? ForRoute(string routeId) => _byRoute.GetValueOrDefault(routeId);
}
