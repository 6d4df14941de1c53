using System.Text.Json.Serialization;

namespace Proxy.Traffic.Admin.Contracts;

/// <summary>Stops an experiment and gives one arm all traffic (a split revision, or the flag's default for everyone).</summary>
/// <param name="Arm">The arm to promote; default the winner the report names.</param>
/// <param name="Force">Promote even without a winner, with a sample-ratio mismatch, or onto an unhealthy cluster.</param>
/// <param name="Reason">Why (at most 500 characters); recorded with the outcome in the audit trail.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record PromoteArmRequest(string? Arm, bool Force, string? Reason);
