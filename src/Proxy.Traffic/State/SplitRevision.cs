using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.State;

/// <summary>One entry of a route's audit trail: what one revision changed, when, by whom and why.</summary>
/// <param name="RouteId">The route.</param>
/// <param name="Revision">The revision this change created.</param>
/// <param name="At">When it was made.</param>
/// <param name="Actor">Who made it: an API key's name, or <c>config</c>.</param>
/// <param name="Action">What was done: one of <see cref="SplitActions"/>.</param>
/// <param name="Source">Where the change came from.</param>
/// <param name="Before">The split before, or null when the route's split was new.</param>
/// <param name="After">The split after, or null when the route's split was removed.</param>
/// <param name="Reason">The operator's reason, if given.</param>
public sealed record SplitRevision(
    string RouteId,
    long Revision,
    DateTimeOffset At,
    string Actor,
    string Action,
    SplitChangeSource Source,
    SplitState? Before,
    SplitState? After,
    string? Reason);
