namespace Proxy.Traffic.Splitting;

/// <summary>Who changes a route's split, how and why: what the audit trail records for one revision.</summary>
/// <param name="Action">What is done (see <see cref="State.SplitActions"/>).</param>
/// <param name="Actor">Who does it: an API key's name, or the rollout controller.</param>
/// <param name="Source">Where the change comes from.</param>
/// <param name="Reason">The operator's reason, if given.</param>
/// <param name="ExpectedRevision">When set, the change applies only if this revision is still in force (If-Match).</param>
public sealed record SplitEdit(string Action, string Actor, SplitChangeSource Source, string? Reason = null, long? ExpectedRevision = null);
