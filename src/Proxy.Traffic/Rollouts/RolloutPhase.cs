namespace Proxy.Traffic.Rollouts;

/// <summary>Where a rollout stands.</summary>
public enum RolloutPhase
{
    /// <summary>Analysing and moving through its steps.</summary>
    Progressing,

    /// <summary>Holding its step (by an operator, at a step without pause, or after inconclusive analyses); analysis still runs.</summary>
    Paused,

    /// <summary>The candidate was promoted: it is stable with all traffic.</summary>
    Succeeded,

    /// <summary>The analysis failed (or stayed inconclusive) and all traffic went back to stable.</summary>
    RolledBack,

    /// <summary>Stopped by an operator or by a change of the split outside the rollout.</summary>
    Aborted,

    /// <summary>A gradual rollback walks the candidate down (its plan's <c>rollback.steps</c>); it ends <see cref="RolledBack"/> or <see cref="Aborted"/>.</summary>
    RollingBack,
    /// <summary>Held at a gate (<see cref="RolloutState.Gate"/>): a confirm-* hook has not answered 2xx or a manual gate waits for an approval; analysis goes on once traffic moved.</summary>
    Waiting,
}
