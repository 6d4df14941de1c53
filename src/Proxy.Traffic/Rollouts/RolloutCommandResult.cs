namespace Proxy.Traffic.Rollouts;

/// <summary>What became of a rollout command (start, pause, resume, abort, promote).</summary>
/// <param name="Outcome">Done, or why not.</param>
/// <param name="State">The route's rollout afterwards, if it has one.</param>
/// <param name="Detail">Why the command does not apply.</param>
public sealed record RolloutCommandResult(RolloutCommandOutcome Outcome, RolloutState? State, string? Detail = null)
{
    internal static RolloutCommandResult Done(RolloutState state) => new(RolloutCommandOutcome.Done, state);

    internal static RolloutCommandResult Conflict(RolloutState? state, string detail) => new(RolloutCommandOutcome.Conflict, state, detail);
}

/// <summary>The outcome of a rollout command.</summary>
public enum RolloutCommandOutcome
{
    /// <summary>Applied (and persisted).</summary>
    Done,

    /// <summary>The route has no split.</summary>
    RouteNotFound,

    /// <summary>The route has no rollout.</summary>
    NoRollout,

    /// <summary>The command does not apply to the rollout's phase or the split in force.</summary>
    Conflict,

    /// <summary>Another gateway instance leads the rollout and did not take the command in time.</summary>
    Unavailable,
}
