using System.Collections.Frozen;

namespace Proxy.Traffic.Splitting;

/// <summary>
/// Holds the current split snapshot of every route. Reads are a dictionary lookup and a volatile read; writers
/// serialise on a lock and swap whole snapshots, so a request sees either the old or the new split, never a mix.
/// </summary>
public sealed class SplitStore
{
    private readonly Lock _writeLock = new();
    private volatile FrozenDictionary<string, RouteSplitHolder> _routes = FrozenDictionary<string, RouteSplitHolder>.Empty;

    /// <summary>Raised after each applied change, outside of any request.</summary>
    public event Action<SplitChange>? Changed;

    /// <summary>The route ids that have a split.</summary>
    public IEnumerable<string> RouteIds => _routes.Keys;

    /// <summary>The snapshot in force for a route (request path: no lock, no allocation).</summary>
    public bool TryGetSnapshot(string routeId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SplitSnapshot? snapshot)
    {
        if (_routes.TryGetValue(routeId, out var holder))
        {
            snapshot = holder.Current;
            return true;
        }

        snapshot = null;
        return false;
    }

    /// <summary>Every route's current snapshot.</summary>
    public IReadOnlyList<SplitSnapshot> GetAll() => _routes.Values.Select(h => h.Current).ToArray();

    /// <summary>
    /// Brings the store in line with a complete set of definitions (from configuration): new routes are added,
    /// routes whose split changed get a new revision, routes no longer present are removed, unchanged ones keep
    /// their revision.
    /// </summary>
    public IReadOnlyList<SplitChange> Replace(IReadOnlyDictionary<string, SplitDefinition> definitions, SplitChangeSource source)
    {
        var changes = new List<SplitChange>();
        lock (_writeLock)
        {
            var current = _routes;
            var next = new Dictionary<string, RouteSplitHolder>(StringComparer.OrdinalIgnoreCase);
            foreach (var (routeId, definition) in definitions)
            {
                if (current.TryGetValue(routeId, out var holder))
                {
                    var previous = holder.Current;
                    if (!previous.Definition.RoutesLike(definition))
                    {
                        holder.Current = new SplitSnapshot(routeId, previous.Revision + 1, definition);
                        changes.Add(new SplitChange(routeId, previous, holder.Current, source));
                    }

                    next[routeId] = holder;
                }
                else
                {
                    var added = new RouteSplitHolder(new SplitSnapshot(routeId, 1, definition));
                    next[routeId] = added;
                    changes.Add(new SplitChange(routeId, null, added.Current, source));
                }
            }

            foreach (var (routeId, holder) in current)
            {
                if (!next.ContainsKey(routeId))
                {
                    changes.Add(new SplitChange(routeId, holder.Current, null, source));
                }
            }

            _routes = next.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        }

        Publish(changes);
        return changes;
    }

    /// <summary>
    /// Applies a change to one route atomically. <paramref name="change"/> receives the snapshot in force and
    /// returns the new definition, or null to leave the route untouched.
    /// </summary>
    public SplitChange? Update(string routeId, Func<SplitSnapshot, SplitDefinition?> change, SplitChangeSource source)
    {
        SplitChange applied;
        lock (_writeLock)
        {
            if (!_routes.TryGetValue(routeId, out var holder))
            {
                throw new KeyNotFoundException($"Route '{routeId}' has no traffic split.");
            }

            var previous = holder.Current;
            var definition = change(previous);
            if (definition is null)
            {
                return null;
            }

            holder.Current = new SplitSnapshot(previous.RouteId, previous.Revision + 1, definition);
            applied = new SplitChange(previous.RouteId, previous, holder.Current, source);
        }

        Publish([applied]);
        return applied;
    }

    private void Publish(IReadOnlyList<SplitChange> changes)
    {
        foreach (var change in changes)
        {
            Changed?.Invoke(change);
        }
    }

    private sealed class RouteSplitHolder(SplitSnapshot current)
    {
        private volatile SplitSnapshot _current = current;

        public SplitSnapshot Current
        {
            get => _current;
            set => _current = value;
        }
    }
}
