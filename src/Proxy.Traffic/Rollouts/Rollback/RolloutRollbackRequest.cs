using System.Text.Json.Serialization;

namespace Proxy.Traffic.Rollouts;

/// <summary>A gradual rollback as written: <c>"rollback": { "steps": [50, 20, 0], "interval": "00:00:10" }</c>.</summary>
/// <param name="Steps">The candidate's weights in percent, strictly decreasing, ending at 0; only those below its weight at the rollback are walked.</param>
/// <param name="Interval">How long each weight is held (default: the analysis interval; 100 ms to 3 minutes).</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RolloutRollbackRequest(IReadOnlyList<decimal>? Steps = null, TimeSpan? Interval = null);
