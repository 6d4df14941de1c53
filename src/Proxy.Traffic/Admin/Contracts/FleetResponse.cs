using Proxy.Traffic.State;

namespace Proxy.Traffic.Admin.Contracts;

/// <summary>Every instance sharing the state store, and for each route how many of them have its latest revision in force.</summary>
/// <param name="Instances">Each instance's latest report (only this one when the store is not shared).</param>
/// <param name="Routes">Per route: the latest revision any instance reports, and how many instances have it in force.</param>
public sealed record FleetResponse(IReadOnlyList<InstanceReport> Instances, IReadOnlyDictionary<string, FleetRouteResponse> Routes)
{
    /// <summary>Summarises the reports.</summary>
    public static FleetResponse From(IReadOnlyList<InstanceReport> reports)
    {
        var routes = reports.SelectMany(r => r.Revisions.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .ToDictionary(route => route, route =>
            {
                var latest = reports.Max(r => r.Revisions.GetValueOrDefault(route));
                return new FleetRouteResponse(latest, reports.Count(r => r.Revisions.GetValueOrDefault(route) == latest), reports.Count);
            }, StringComparer.Ordinal);
        return new FleetResponse(reports, routes);
    }
}

/// <summary>One route across the fleet: "<see cref="InForce"/>/<see cref="Instances"/> at revision <see cref="Revision"/>".</summary>
public sealed record FleetRouteResponse(long Revision, int InForce, int Instances);
