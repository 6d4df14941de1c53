using System.Text.Json.Serialization;

namespace Proxy.Traffic.Admin.Contracts;

/// <summary>New weights for a route's split.</summary>
/// <param name="Weights">Percent per cluster of the split: 0–100, at most two decimals, summing to exactly 100; clusters left out get 0.</param>
/// <param name="Reason">Why (at most 500 characters); recorded in the audit trail.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SetWeightsRequest(Dictionary<string, decimal>? Weights, string? Reason);
