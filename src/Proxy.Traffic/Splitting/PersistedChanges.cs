using System.Collections.Frozen;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Splitting;

/// <summary>
/// Puts in force the revisions another gateway instance committed to a shared repository: already durable, so they are
/// swapped in at their own revision without a new commit. Stickiness and overrides stay this instance's file's.
/// </summary>
internal static class PersistedChanges
{
    /// <summary>Updates <paramref name="known"/> and the snapshots in force from <paramref name="persisted"/>; returns the routes now in force and the changes made.</summary>
    public static (FrozenDictionary<string, SplitStore.RouteSplitHolder> Routes, List<SplitChange> Changes) Apply(
        FrozenDictionary<string, SplitStore.RouteSplitHolder> inForce,
        Dictionary<string, RouteSplitRecord> known,
        IReadOnlyList<RouteSplitRecord> persisted)
    {
        var changes = new List<SplitChange>();
        var removed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var record in persisted)
        {
            if (known.TryGetValue(record.RouteId, out var local) && local.Revision >= record.Revision)
            {
                continue;
            }

            // A route this instance's file has no split for is only tracked, so its revisions keep counting.
            if (!inForce.TryGetValue(record.RouteId, out var holder))
            {
                known[record.RouteId] = record;
                continue;
            }

            var previous = holder.Current;
            if (record.Current is null)
            {
                known[record.RouteId] = record;
                removed.Add(record.RouteId);
                changes.Add(new SplitChange(record.RouteId, previous, null, SplitChangeSource.Remote));
                continue;
            }

            // Instances whose files name other clusters for the route cannot share its split: keep the one in force.
            if (!record.Current.HasSameClustersAs(SplitState.Of(previous.Definition)))
            {
                continue;
            }

            known[record.RouteId] = record;
            var next = new SplitSnapshot(record.RouteId, record.Revision, previous.Definition with { Stable = record.Current.Stable, Weights = record.Current.Weights });
            holder.Configured = record.Configured;
            holder.Current = next;
            changes.Add(new SplitChange(record.RouteId, previous, next, SplitChangeSource.Remote));
        }

        var routes = removed.Count == 0
            ? inForce
            : inForce.Where(r => !removed.Contains(r.Key)).ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        return (routes, changes);
    }
}
