using System.Text.Json.Serialization;

namespace Proxy.Traffic.Admin.Contracts;

/// <summary>A flag's default and/or rollout set at runtime (over the file's, until the file's flag changes).</summary>
/// <param name="Default">The default variant; unchanged when left out.</param>
/// <param name="Rollout">Percentage of users per non-default variant (0–100, two decimals, at most 100 together); unchanged when left out.</param>
/// <param name="Reason">Why (at most 500 characters); recorded in the audit trail.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SetFlagRequest(string? Default, Dictionary<string, decimal>? Rollout, string? Reason);
