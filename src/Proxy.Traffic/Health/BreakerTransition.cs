namespace Proxy.Traffic.Health;

/// <summary>A cluster's breaker moved from one state to another as operators see it (closed, half-open, open, isolated).</summary>
/// <param name="ClusterId">The cluster.</param>
/// <param name="Routes">The routes whose splits include it.</param>
/// <param name="From">The state before.</param>
/// <param name="To">The state now.</param>
/// <param name="Cause">Why: the figures that opened it, who isolated it, or null when it closed.</param>
public sealed record BreakerTransition(string ClusterId, string Routes, BreakerState From, BreakerState To, string? Cause);
