using System.Text.Json.Serialization;

namespace Proxy.Traffic.Admin.Contracts;

/// <summary>Makes a cluster of the split stable with all new traffic.</summary>
/// <param name="Cluster">The cluster to promote.</param>
/// <param name="Force">Promote even when the cluster has no healthy destination or its breaker is open.</param>
/// <param name="Reason">Why (at most 500 characters); recorded in the audit trail.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record PromoteRequest(string? Cluster, bool Force, string? Reason);
