namespace Proxy.Traffic.Splitting;

/// <summary>Why a request went to the cluster it went to.</summary>
public enum SplitDecisionKind
{
    /// <summary>A weighted random pick.</summary>
    Weight,

    /// <summary>The user's sticky key mapped to the cluster.</summary>
    Sticky,

    /// <summary>An override rule (header or cookie) forced the cluster.</summary>
    Override,

    /// <summary>The chosen cluster was unavailable (open breaker, isolated) and the request went to the fallback.</summary>
    Fallback,

    /// <summary>The chosen cluster refused the connection and the idempotent request was sent again elsewhere.</summary>
    Failover,
}
