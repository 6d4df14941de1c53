namespace Proxy.Traffic.Splitting;

/// <summary>What became of a change to one route's split.</summary>
/// <param name="Outcome">Applied, or why not.</param>
/// <param name="Current">The snapshot in force afterwards (null when the route has no split).</param>
/// <param name="Detail">Why a change was refused.</param>
public sealed record SplitUpdateResult(SplitUpdateOutcome Outcome, SplitSnapshot? Current, string? Detail = null);

/// <summary>The outcome of a change to one route's split.</summary>
public enum SplitUpdateOutcome
{
    /// <summary>Committed and in force, as a new revision.</summary>
    Applied,

    /// <summary>The split already routes that way: no new revision.</summary>
    Unchanged,

    /// <summary>The route has no split.</summary>
    RouteNotFound,

    /// <summary>The expected revision is no longer in force.</summary>
    RevisionMismatch,

    /// <summary>The change does not apply to the split in force (see <see cref="SplitUpdateResult.Detail"/>).</summary>
    Refused,
}
