using Proxy.Traffic.Mirroring;

namespace Proxy.Traffic.Admin.Contracts;

/// <summary>A route's mirror as the admin API shows it.</summary>
/// <param name="Route">The YARP route id.</param>
/// <param name="Enabled">True when a share of the route's requests is being mirrored.</param>
/// <param name="Source">Where the mirror in force comes from: <c>config</c> or <c>api</c> (null when none).</param>
/// <param name="Settings">The mirror in force, or null.</param>
/// <param name="ConfigFile">The configuration file's mirror for the route (overridden while one set through the API is in force).</param>
/// <param name="Since">When the mirror in force was applied; the comparison counts from then.</param>
/// <param name="Comparison">Copies, drops and how the mirror's answers compared with the primary's, or null when none.</param>
public sealed record MirrorResponse(
    string Route,
    bool Enabled,
    string? Source,
    MirrorSettingsResponse? Settings,
    MirrorSettingsResponse? ConfigFile,
    DateTimeOffset? Since,
    MirrorComparisonResponse? Comparison)
{
    /// <summary>The API form of a route's mirror state.</summary>
    public static MirrorResponse From(string routeId, MirrorStore store) => store.TryGet(routeId, out var route)
        ? new(routeId, true, route.Source.ToString().ToLowerInvariant(), MirrorSettingsResponse.From(route.Settings),
            MirrorSettingsResponse.From(store.GetConfigured(routeId)), route.Since, MirrorComparisonResponse.From(route.Comparison))
        : new(routeId, false, null, null, MirrorSettingsResponse.From(store.GetConfigured(routeId)), null, null);
}

/// <summary>One entry of a route's mirror audit trail.</summary>
public sealed record MirrorChangeResponse(DateTimeOffset At, string Actor, string Action, MirrorSettingsResponse? Before, MirrorSettingsResponse? After, string? Reason)
{
    /// <summary>The revision of the route's mirror setting this change created.</summary>
    public long Revision { get; init; }

    /// <summary>The API form of an audit entry.</summary>
    public static MirrorChangeResponse From(State.MirrorChange change) => new(
        change.At, change.Actor, change.Action, MirrorSettingsResponse.From(change.Before), MirrorSettingsResponse.From(change.After), change.Reason)
    {
        Revision = change.Revision,
    };
}
