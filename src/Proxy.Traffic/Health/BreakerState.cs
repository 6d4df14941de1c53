namespace Proxy.Traffic.Health;

/// <summary>The state of a cluster's circuit breaker, as operators see it.</summary>
public enum BreakerState
{
    /// <summary>Traffic flows; outcomes are sampled.</summary>
    Closed,

    /// <summary>The break has elapsed; a trial request is let through to decide between closing and reopening.</summary>
    HalfOpen,

    /// <summary>Too many failures: the cluster gets no traffic until the break elapses.</summary>
    Open,

    /// <summary>Held open by an operator or by active health (no healthy destination) until reset or recovery.</summary>
    Isolated,
}
