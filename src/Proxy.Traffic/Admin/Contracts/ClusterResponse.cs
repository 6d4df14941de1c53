namespace Proxy.Traffic.Admin.Contracts;

/// <summary>Health and circuit-breaker state of one cluster.</summary>
/// <param name="Cluster">The YARP cluster id.</param>
/// <param name="HealthyDestinations">Destinations that pass health checks.</param>
/// <param name="TotalDestinations">All destinations.</param>
/// <param name="Breaker"><c>Closed</c>, <c>HalfOpen</c>, <c>Open</c> or <c>Isolated</c>.</param>
/// <param name="Reason">Why the breaker is not closed, if it is not.</param>
public sealed record ClusterResponse(string Cluster, int HealthyDestinations, int TotalDestinations, string Breaker, string? Reason);
