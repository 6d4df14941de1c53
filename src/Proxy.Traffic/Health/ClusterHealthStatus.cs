namespace Proxy.Traffic.Health;

/// <summary>What the gateway knows about one cluster's health: destinations and breaker.</summary>
/// <param name="ClusterId">The YARP cluster.</param>
/// <param name="HealthyDestinations">Destinations not marked unhealthy by active or passive checks.</param>
/// <param name="TotalDestinations">All destinations of the cluster.</param>
/// <param name="Breaker">The breaker's state.</param>
/// <param name="Reason">Why the breaker is not closed (figures that tripped it, health, operator), or null.</param>
public sealed record ClusterHealthStatus(string ClusterId, int HealthyDestinations, int TotalDestinations, BreakerState Breaker, string? Reason);
