using Proxy.Traffic.Mirroring;

namespace Proxy.Traffic.State;

/// <summary>One entry of a route's mirror audit trail: what was set or removed, when, by whom and why.</summary>
/// <param name="RouteId">The route.</param>
/// <param name="At">When the change was made.</param>
/// <param name="Actor">The API key's name, or <c>config</c>.</param>
/// <param name="Action">What was done: <see cref="SetAction"/>, <see cref="RemoveAction"/> or <see cref="ConfigAction"/>.</param>
/// <param name="Before">The runtime mirror before, or null when there was none (or it was off).</param>
/// <param name="After">The runtime mirror after, or null when mirroring was turned off.</param>
/// <param name="Reason">The operator's reason, if given.</param>
public sealed record MirrorChange(string RouteId, DateTimeOffset At, string Actor, string Action, MirrorSettings? Before, MirrorSettings? After, string? Reason)
{
    /// <summary>The revision of the route's mirror setting this change created.</summary>
    public long Revision { get; init; }

    /// <summary>The action of <c>PUT /api/routes/{id}/mirror</c>.</summary>
    public const string SetAction = "set-mirror";

    /// <summary>The action of <c>DELETE /api/routes/{id}/mirror</c>.</summary>
    public const string RemoveAction = "remove-mirror";

    /// <summary>The configuration file's mirror changed and replaced the runtime setting.</summary>
    public const string ConfigAction = "config-mirror";
}

/// <summary>
/// A route's mirror as set at runtime: <see cref="Mirror"/> null means turned off. <see cref="Configured"/> is the
/// configuration file's mirror when it was set: the runtime setting stays in force until the file's mirror changes.
/// </summary>
public sealed record MirrorOverride(string RouteId, MirrorSettings? Mirror, MirrorSettings? Configured)
{
    /// <summary>The route and its runtime mirror, as operators read them in logs.</summary>
    public override string ToString() => $"{RouteId}: {Mirror?.ToString() ?? "off"}";
}
