using Microsoft.Extensions.DependencyInjection;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.Mirroring;

namespace Proxy.FunctionalTests.Mirroring;

/// <summary>Builds TrafficSplit sections with a mirror, and reads a route's mirror comparison.</summary>
public static class Mirrors
{
    /// <summary>Route "shop": all traffic to blue, with the given mirror section (null for none).</summary>
    public static object Route(object? mirror) => new
    {
        Routes = new Dictionary<string, object>
        {
            ["shop"] = new { Stable = "blue", Weights = new Dictionary<string, decimal> { ["blue"] = 100 }, Mirror = mirror },
        },
    };

    /// <summary>The gateway's mirrors in force.</summary>
    public static MirrorStore MirrorStore(this TestEnvironment environment) => environment.Services.GetRequiredService<MirrorStore>();

    /// <summary>The comparison of the route's mirror in force (fails when there is none).</summary>
    public static MirrorComparison Comparison(this TestEnvironment environment, string routeId = "shop") =>
        environment.MirrorStore().TryGet(routeId, out var route)
            ? route.Comparison
            : throw new InvalidOperationException($"route '{routeId}' has no mirror in force");

    /// <summary>Copies compared (every result) so far.</summary>
    public static long Compared(this MirrorComparison comparison) =>
        Enum.GetValues<MirrorResult>().Sum(comparison.Count);
}
