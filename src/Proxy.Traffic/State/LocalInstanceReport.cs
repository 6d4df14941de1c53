using Proxy.Traffic.Health;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.State;

/// <summary>Builds this instance's <see cref="InstanceReport"/> from the splits in force and the breakers.</summary>
public sealed class LocalInstanceReport(SplitStore store, ClusterHealthRegistry health, StateSyncStatus status, TimeProvider timeProvider)
{
    /// <summary>This instance's report, now.</summary>
    public InstanceReport Build()
    {
        var splits = store.GetAll();
        return new InstanceReport(
            status.Instance ?? Environment.MachineName,
            timeProvider.GetUtcNow(),
            status.IsStale,
            splits.ToDictionary(s => s.RouteId, s => s.Revision, StringComparer.Ordinal),
            splits.SelectMany(s => s.ClusterIds).Distinct(StringComparer.Ordinal)
                .ToDictionary(c => c, c => health.GetStatus(c).Breaker.ToString(), StringComparer.Ordinal));
    }
}
