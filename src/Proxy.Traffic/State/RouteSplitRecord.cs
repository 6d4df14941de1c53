namespace Proxy.Traffic.State;

/// <summary>The persisted state of one route's split.</summary>
/// <param name="RouteId">The YARP route id.</param>
/// <param name="Revision">The route's latest revision; revisions keep counting after a removal.</param>
/// <param name="Current">The split in force, or null when the route's split was removed from configuration.</param>
/// <param name="Configured">The configuration file's split when it was last applied: the baseline that decides whether a
/// later file wins over runtime changes (see docs/admin-api.md, "Configuration and runtime changes").</param>
public sealed record RouteSplitRecord(string RouteId, long Revision, SplitState? Current, SplitState? Configured);
