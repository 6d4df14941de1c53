namespace Proxy.Traffic.Splitting;

/// <summary>One applied change of a route's split.</summary>
/// <param name="RouteId">The route.</param>
/// <param name="Previous">The snapshot replaced, or null when the route's split is new.</param>
/// <param name="Current">The snapshot now in force, or null when the route's split was removed.</param>
/// <param name="Source">What made the change.</param>
public sealed record SplitChange(string RouteId, SplitSnapshot? Previous, SplitSnapshot? Current, SplitChangeSource Source);
