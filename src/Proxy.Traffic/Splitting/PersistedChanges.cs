using System.Collections.Frozen;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Splitting;

/// <summary>
/// Puts committed split revisions in force — this instance's own (an admin or rollout edit) and those another gateway
/// instance committed to a shared repository — at their own revision, without a new commit. Stickiness and overrides
/// stay this instance's file's.
/// </summary>
internal static class PersistedChanges
{
    /// <summary>Returns the routes in force after <paramref name="updates"/> and the changes made.</summary>
    public static (FrozenDictionary<string, SplitStore.RouteSplitHolder> Routes, List<SplitChange> Changes) Apply(
        FrozenDictionary<string, SplitStore.RouteSplitHolder> inForce, IReadOnlyList<SettingUpdate> updates)
    {
        var changes = new List<SplitChange>();
        var removed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var update in updates)
        {
            var record = SplitSetting.Read(update.Current);
            var source = update.Change is { } change ? Enum.Parse<SplitChangeSource>(change.Source, ignoreCase: true) : SplitChangeSource.Remote;

            // A route this instance's file has no split for is only tracked (by the state store), so its revisions keep counting.
            if (!inForce.TryGetValue(record.RouteId, out var holder))
            {
                continue;
            }

            var previous = holder.Current;
            if (record.Current is null)
            {
                removed.Add(record.RouteId);
                changes.Add(new SplitChange(record.RouteId, previous, null, source));
                continue;
            }

            // Instances whose files name other clusters for the route cannot share its split: keep the one in force.
            if (!record.Current.HasSameClustersAs(SplitState.Of(previous.Definition)))
            {
                continue;
            }

            var next = new SplitSnapshot(record.RouteId, record.Revision, previous.Definition with { Stable = record.Current.Stable, Weights = record.Current.Weights });
            holder.Configured = record.Configured;
            holder.Current = next;
            changes.Add(new SplitChange(record.RouteId, previous, next, source));
        }

        var routes = removed.Count == 0
            ? inForce
            : inForce.Where(r => !removed.Contains(r.Key)).ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        return (routes, changes);
    }
}
