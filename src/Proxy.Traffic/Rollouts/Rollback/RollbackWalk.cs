namespace Proxy.Traffic.Rollouts.Rollback;

/// <summary>A gradual rollback under way: the weights still to walk, when the next is due, and how the rollout ends.</summary>
/// <param name="Outcome">The phase the rollout ends in once the candidate is at 0 (<see cref="RolloutPhase.RolledBack"/> or <see cref="RolloutPhase.Aborted"/>).</param>
/// <param name="Reason">Why it rolls back: the reason of that end.</param>
/// <param name="Weights">The candidate's weights to walk through, in basis points, the last 0.</param>
/// <param name="Next">The index in <paramref name="Weights"/> of the next weight to put in force.</param>
/// <param name="NextAt">When it is due (the walk's first weight is due at once).</param>
public sealed record RollbackWalk(RolloutPhase Outcome, string Reason, IReadOnlyList<int> Weights, int Next, DateTimeOffset NextAt)
{
    /// <summary>True when the next weight is the last (0): putting it in force ends the rollout.</summary>
    public bool AtLast => Next >= Weights.Count - 1;
}
