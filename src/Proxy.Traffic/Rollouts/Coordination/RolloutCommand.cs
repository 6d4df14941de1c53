namespace Proxy.Traffic.Rollouts.Coordination;

/// <summary>An operator's command on a running rollout, as data so that it can be relayed to the instance that leads it.</summary>
/// <param name="Id">Identifies the command and its reply.</param>
/// <param name="Kind">What to do.</param>
/// <param name="Actor">Who asked.</param>
/// <param name="Reason">Why, when the command takes one (an approval).</param>
public sealed record RolloutCommand(
    string Id,
    RolloutCommandKind Kind,
    string Actor,
    string? Reason = null)
{
    /// <summary>A new command with a fresh id.</summary>
    public static RolloutCommand Create(RolloutCommandKind kind, string actor) => new(Guid.NewGuid().ToString("N"), kind, actor);
}

/// <summary>The commands an operator can give a running rollout.</summary>
public enum RolloutCommandKind
{
    /// <summary>Hold the current step.</summary>
    Pause,

    /// <summary>Go on after a pause.</summary>
    Resume,

    /// <summary>End it and send all traffic back to stable.</summary>
    Abort,

    /// <summary>Make the candidate stable now.</summary>
    Promote,

    /// <summary>Satisfy the manual gate the rollout waits at.</summary>
    Approve,
}

/// <summary>The leader's answer to a relayed command: the outcome and, when not done, why.</summary>
public sealed record RolloutCommandReply(RolloutCommandOutcome Outcome, string? Detail);
