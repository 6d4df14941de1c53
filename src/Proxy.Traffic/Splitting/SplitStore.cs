using System.Collections.Frozen;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Splitting;

/// <summary>
/// Holds the current split snapshot of every route. Reads are a dictionary lookup and a volatile read; writers
/// serialise on a gate, commit the new revision and its audit entry to the state repository, and only then swap
/// whole snapshots, so a request sees either the old or the new split, never a mix, and an applied change is durable.
/// </summary>
public sealed partial class SplitStore : IDisposable
{
    private readonly ISplitStateRepository _repository;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    // The persisted view of every route ever seen (including removed ones, whose revisions keep counting); guarded by the gate.
    private readonly Dictionary<string, RouteSplitRecord> _records = new(StringComparer.OrdinalIgnoreCase);
    private volatile FrozenDictionary<string, RouteSplitHolder> _routes = FrozenDictionary<string, RouteSplitHolder>.Empty;
    private const int MaxCommitAttempts = 3;

    private IReadOnlyDictionary<string, SplitDefinition>? _definitions;
    private bool _loaded;

    // The generation of the shared state last loaded (rebuildable repositories only), and a recovery to announce; guarded by the gate.
    private string? _generation;
    private SplitStateRecovery? _recovery;
    private volatile bool _detached;

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

    /// <summary>Raised when the shared state this instance had synced with was found gone (and rebuilt) or replaced.</summary>
    public event Action<SplitStateRecovery>? Recovered;

    /// <summary>
    /// True when the state repository could not be reached when the file was applied: the file's splits are in force
    /// without being committed, until <see cref="SyncAsync"/> reaches the repository.
    /// </summary>
    public bool IsDetached
    {
        get => _detached;
        private set => _detached = value;
    }

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
    /// routes no longer present are removed (with a shared repository, on this instance only), the others keep their revision. The first call puts persisted state back in force;
    /// when the repository cannot be reached then (<see cref="SplitStateUnavailableException"/>), the file's splits go in
    /// force uncommitted (<see cref="IsDetached"/>) rather than the gateway refusing to start.
    /// </summary>
    public async Task<IReadOnlyList<SplitChange>> ReplaceAsync(IReadOnlyDictionary<string, SplitDefinition> definitions, CancellationToken cancellationToken)
    {
        List<SplitChange> changes;
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _definitions = definitions;
            changes = await ApplyDefinitionsAsync(definitions, detachWhenUnavailable: true, cancellationToken).ConfigureAwait(false);
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
        var changes = new List<SplitChange>();
        SplitUpdateResult result;
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    result = await TryWriteAsync(routeId, edit, decide, changes, cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (SplitRevisionConflictException) when (attempt < MaxCommitAttempts)
                {
                    // Another gateway instance committed first: catch up, then decide again against what is in force now
                    // (an If-Match edit then answers 412; a blind edit applies on top, so no update is lost).
                    changes.AddRange(await SyncLockedAsync(CancellationToken.None).ConfigureAwait(false));
                }
            }
        }
        finally
        {
            _writeGate.Release();
        }

        Publish(changes);
        return result;
    }

    private async Task<SplitUpdateResult> TryWriteAsync(
        string routeId,
        SplitEdit edit,
        Func<SplitSnapshot, CancellationToken, Task<SplitProposal>> decide,
        List<SplitChange> changes,
        CancellationToken cancellationToken)
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
        await CommitLockedAsync([new SplitCommit(record, entry)]).ConfigureAwait(false);
        _records[previous.RouteId] = record;
        holder.Current = next;
        changes.Add(new SplitChange(previous.RouteId, previous, next, edit.Source));
        return new SplitUpdateResult(SplitUpdateOutcome.Applied, next);
    }

    // Under the gate.
    private async Task<List<SplitChange>> ApplyDefinitionsAsync(
        IReadOnlyDictionary<string, SplitDefinition> definitions, bool detachWhenUnavailable, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var inForce = _routes;
            if (!_loaded)
            {
                IReadOnlyList<RouteSplitRecord> records;
                try
                {
                    records = await LoadLockedAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (SplitStateUnavailableException) when (detachWhenUnavailable && (_routes.Count == 0 || IsDetached))
                {
                    return Detach(definitions);
                }

                _records.Clear();
                foreach (var record in records)
                {
                    _records[record.RouteId] = record;
                }

                // As at start-up: persisted state decides, not what is in force (stale, or never committed while detached).
                inForce = FrozenDictionary<string, RouteSplitHolder>.Empty;
                _loaded = true;
                IsDetached = false;
            }

            var plan = new ConfigApplyPlan(inForce, _records, _timeProvider.GetUtcNow(), shared: _repository is IRebuildableSplitStateRepository);
            plan.Build(definitions);

            // Commit first: when it fails nothing is in force that is not on disk, and the caller reports the error.
            if (plan.Commits.Count > 0)
            {
                try
                {
                    await CommitLockedAsync(plan.Commits).ConfigureAwait(false);
                }
                catch (SplitRevisionConflictException) when (attempt < MaxCommitAttempts)
                {
                    // Another instance sharing the repository committed first (several gateways starting at once): reload and merge again.
                    _loaded = false;
                    continue;
                }
            }

            foreach (var commit in plan.Commits)
            {
                _records[commit.Route.RouteId] = commit.Route;
            }

            var changes = new List<SplitChange>();
            _routes = plan.Apply(changes).ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
            return changes;
        }
    }

    public void Dispose() => _writeGate.Dispose();

    private void Publish(IReadOnlyList<SplitChange> changes)
    {
        if (Interlocked.Exchange(ref _recovery, null) is { } recovery)
        {
            Recovered?.Invoke(recovery);
        }

        foreach (var change in changes)
        {
            Changed?.Invoke(change);
        }
    }
}
