using System.Collections.Frozen;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Splitting;

/// <summary>
/// Holds the current split snapshot of every route. Reads are a dictionary lookup and a volatile read; writers
/// serialise on a gate, commit the new revision and its audit entry to the state repository, and only then swap
/// whole snapshots, so a request sees either the old or the new split, never a mix, and an applied change is durable.
/// </summary>
public sealed class SplitStore : IDisposable
{
    private readonly ISplitStateRepository _repository;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    // The persisted view of every route ever seen (including removed ones, whose revisions keep counting); guarded by the gate.
    private readonly Dictionary<string, RouteSplitRecord> _records = new(StringComparer.OrdinalIgnoreCase);
    private volatile FrozenDictionary<string, RouteSplitHolder> _routes = FrozenDictionary<string, RouteSplitHolder>.Empty;
    private bool _loaded;

    /// <summary>A store that keeps its state in memory only.</summary>
    public SplitStore()
        : this(new InMemorySplitStateRepository(), TimeProvider.System)
    {
    }

    /// <summary>A store that persists every change to <paramref name="repository"/> before it is in force.</summary>
    public SplitStore(ISplitStateRepository repository, TimeProvider timeProvider)
    {
        _repository = repository;
        _timeProvider = timeProvider;
    }

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

    /// <summary>The split the configuration file gave a route when it was last applied, or null when the route has no split.</summary>
    public SplitState? GetConfigured(string routeId) => _routes.TryGetValue(routeId, out var holder) ? holder.Configured : null;

    /// <summary>A route's audit trail, newest first.</summary>
    public Task<IReadOnlyList<SplitRevision>> GetHistoryAsync(string routeId, int limit, CancellationToken cancellationToken) =>
        _repository.GetHistoryAsync(routeId, limit, cancellationToken);

    /// <summary>
    /// Brings the store in line with the configuration file's complete set of definitions, merged with persisted runtime
    /// changes (<see cref="ConfigMergeRule"/>): new routes are added, routes whose file split changed get a new revision,
    /// routes no longer present are removed, the others keep their revision. The first call puts persisted state back in force.
    /// </summary>
    public async Task<IReadOnlyList<SplitChange>> ReplaceAsync(IReadOnlyDictionary<string, SplitDefinition> definitions, CancellationToken cancellationToken)
    {
        var changes = new List<SplitChange>();
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_loaded)
            {
                foreach (var record in await _repository.LoadAsync(cancellationToken).ConfigureAwait(false))
                {
                    _records[record.RouteId] = record;
                }

                _loaded = true;
            }

            var plan = new ConfigApplyPlan(_routes, _records, _timeProvider.GetUtcNow());
            plan.Build(definitions);

            // Commit first: when it fails nothing is in force that is not on disk, and the caller reports the error.
            if (plan.Commits.Count > 0)
            {
                await _repository.CommitAsync(plan.Commits, CancellationToken.None).ConfigureAwait(false);
            }

            foreach (var commit in plan.Commits)
            {
                _records[commit.Route.RouteId] = commit.Route;
            }

            _routes = plan.Apply(changes).ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        }
        finally
        {
            _writeGate.Release();
        }

        Publish(changes);
        return changes;
    }

    /// <summary>
    /// Applies a change to one route atomically and durably. <paramref name="change"/> receives the snapshot in force and
    /// proposes the new definition (or refuses); a proposal that routes like the split in force makes no revision.
    /// </summary>
    public Task<SplitUpdateResult> UpdateAsync(string routeId, SplitEdit edit, Func<SplitSnapshot, SplitProposal> change, CancellationToken cancellationToken) =>
        WriteAsync(routeId, edit, (current, _) => Task.FromResult(change(current)), cancellationToken);

    /// <summary>Restores the stable cluster and weights the route had before its latest revision, as a new revision.</summary>
    public Task<SplitUpdateResult> UndoAsync(string routeId, SplitEdit edit, CancellationToken cancellationToken) =>
        WriteAsync(routeId, edit, async (current, ct) =>
        {
            var history = await _repository.GetHistoryAsync(routeId, 1, ct).ConfigureAwait(false);
            if (history is not [{ Before: { } before } latest] || latest.Revision != current.Revision)
            {
                return SplitProposal.Refuse($"revision {current.Revision} has no previous split to restore");
            }

            return before.HasSameClustersAs(SplitState.Of(current.Definition))
                ? SplitProposal.To(current.Definition with { Stable = before.Stable, Weights = before.Weights })
                : SplitProposal.Refuse($"the split before revision {current.Revision} has other clusters ({before}): the configuration changed them since");
        }, cancellationToken);

    private async Task<SplitUpdateResult> WriteAsync(
        string routeId,
        SplitEdit edit,
        Func<SplitSnapshot, CancellationToken, Task<SplitProposal>> decide,
        CancellationToken cancellationToken)
    {
        SplitChange applied;
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_routes.TryGetValue(routeId, out var holder))
            {
                return new SplitUpdateResult(SplitUpdateOutcome.RouteNotFound, null);
            }

            var previous = holder.Current;
            if (edit.ExpectedRevision is { } expected && expected != previous.Revision)
            {
                return new SplitUpdateResult(SplitUpdateOutcome.RevisionMismatch, previous);
            }

            var (definition, refusal) = await decide(previous, cancellationToken).ConfigureAwait(false);
            if (refusal is not null)
            {
                return new SplitUpdateResult(SplitUpdateOutcome.Refused, previous, refusal);
            }

            if (definition is null || definition.RoutesLike(previous.Definition))
            {
                return new SplitUpdateResult(SplitUpdateOutcome.Unchanged, previous);
            }

            var next = new SplitSnapshot(previous.RouteId, previous.Revision + 1, definition);
            var after = SplitState.Of(definition);
            var record = new RouteSplitRecord(previous.RouteId, next.Revision, after, holder.Configured);
            var entry = new SplitRevision(
                previous.RouteId, next.Revision, _timeProvider.GetUtcNow(), edit.Actor, edit.Action, edit.Source, SplitState.Of(previous.Definition), after, edit.Reason);

            // Durable before in force: a client that saw the answer can rely on the change surviving a crash.
            await _repository.CommitAsync([new SplitCommit(record, entry)], CancellationToken.None).ConfigureAwait(false);
            _records[previous.RouteId] = record;
            holder.Current = next;
            applied = new SplitChange(previous.RouteId, previous, next, edit.Source);
        }
        finally
        {
            _writeGate.Release();
        }

        Publish([applied]);
        return new SplitUpdateResult(SplitUpdateOutcome.Applied, applied.Current);
    }

    public void Dispose() => _writeGate.Dispose();

    private void Publish(IReadOnlyList<SplitChange> changes)
    {
        foreach (var change in changes)
        {
            Changed?.Invoke(change);
        }
    }

    /// <summary>A route's snapshot in force and the file split it was last configured with.</summary>
    internal sealed class RouteSplitHolder(SplitSnapshot current, SplitState? configured)
    {
        private volatile SplitSnapshot _current = current;
        private volatile SplitState? _configured = configured;

        public SplitSnapshot Current
        {
            get => _current;
            set => _current = value;
        }

        public SplitState? Configured
        {
            get => _configured;
            set => _configured = value;
        }
    }
}
