using System.Collections.Frozen;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Splitting;

/// <summary>
/// What applying the configuration file's splits does to the store: the commits to persist first, then the snapshots to
/// put in force. Built and applied under the store's write gate. With a repository shared by a fleet
/// (<paramref name="shared"/>), a route that left this instance's file stops being split here only: the shared record is
/// the fleet's, and one instance's file never removes another instance's split.
/// </summary>
internal sealed class ConfigApplyPlan(
    FrozenDictionary<string, SplitStore.RouteSplitHolder> inForce,
    IReadOnlyDictionary<string, RouteSplitRecord> records,
    DateTimeOffset now,
    bool shared = false)
{
    private readonly List<PlannedRoute> _routes = [];
    private readonly List<(string RouteId, SplitSnapshot? Previous)> _removed = [];

    /// <summary>The revisions and audit entries to commit before anything is swapped in.</summary>
    public List<SplitCommit> Commits { get; } = [];

    public void Build(IReadOnlyDictionary<string, SplitDefinition> definitions)
    {
        foreach (var (routeId, file) in definitions)
        {
            inForce.TryGetValue(routeId, out var holder);
            records.TryGetValue(routeId, out var record);
            var merge = ConfigMergeRule.Resolve(file, record, holder?.Current);
            var configured = SplitState.Of(file);
            var revision = record?.Revision ?? 0;
            if (!merge.NeedsRevision)
            {
                // Unchanged, or (at start-up) persisted state put back in force at its own revision.
                _routes.Add(new PlannedRoute(routeId, holder, holder is null ? new SplitSnapshot(routeId, revision, merge.Definition) : null, configured, Restored: holder is null));
                continue;
            }

            var before = holder is not null ? SplitState.Of(holder.Current.Definition) : record?.Current;
            var after = SplitState.Of(merge.Definition);
            Commits.Add(new SplitCommit(
                new RouteSplitRecord(routeId, revision + 1, after, configured),
                new SplitRevision(routeId, revision + 1, now, SplitActions.ConfigActor, SplitActions.Config, SplitChangeSource.Config, before, after, merge.Reason)));
            _routes.Add(new PlannedRoute(routeId, holder, new SplitSnapshot(routeId, revision + 1, merge.Definition), configured, Restored: false));
        }

        // Routes that left the file: in force now, or persisted and removed from the file while the gateway was down.
        foreach (var (routeId, record) in records)
        {
            if (record.Current is null || definitions.ContainsKey(routeId))
            {
                continue;
            }

            if (shared)
            {
                if (inForce.TryGetValue(routeId, out var local))
                {
                    _removed.Add((routeId, local.Current));
                }

                continue;
            }

            Commits.Add(new SplitCommit(
                new RouteSplitRecord(routeId, record.Revision + 1, null, null),
                new SplitRevision(routeId, record.Revision + 1, now, SplitActions.ConfigActor, SplitActions.Remove, SplitChangeSource.Config, record.Current, null, null)));
            _removed.Add((routeId, inForce.TryGetValue(routeId, out var holder) ? holder.Current : null));
        }
    }

    /// <summary>Puts the planned snapshots in force (after the commit) and returns the routes that now have a split.</summary>
    public Dictionary<string, SplitStore.RouteSplitHolder> Apply(List<SplitChange> changes)
    {
        var next = new Dictionary<string, SplitStore.RouteSplitHolder>(StringComparer.OrdinalIgnoreCase);
        foreach (var (routeId, holder, snapshot, configured, restored) in _routes)
        {
            if (snapshot is null)
            {
                next[routeId] = holder!;
            }
            else if (holder is null)
            {
                next[routeId] = new SplitStore.RouteSplitHolder(snapshot, configured);
                changes.Add(new SplitChange(routeId, null, snapshot, restored ? SplitChangeSource.Restored : SplitChangeSource.Config));
            }
            else
            {
                var previous = holder.Current;
                holder.Configured = configured;
                holder.Current = snapshot;
                next[routeId] = holder;
                changes.Add(new SplitChange(routeId, previous, snapshot, SplitChangeSource.Config));
            }
        }

        foreach (var (routeId, previous) in _removed)
        {
            changes.Add(new SplitChange(routeId, previous, null, SplitChangeSource.Config));
        }

        return next;
    }

    private sealed record PlannedRoute(string RouteId, SplitStore.RouteSplitHolder? Holder, SplitSnapshot? Snapshot, SplitState Configured, bool Restored);
}
