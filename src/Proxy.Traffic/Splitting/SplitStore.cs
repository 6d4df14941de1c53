using System.Collections.Frozen;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Splitting;

/// <summary>
/// Holds the current split snapshot of every route: the split kind's view over <see cref="RuntimeStateStore"/>. Reads are
/// a dictionary lookup and a volatile read; writers go through the state store, which commits the new revision and its
/// audit entry before this view swaps whole snapshots, so a request sees either the old or the new split, never a mix,
/// and an applied change is durable.
/// </summary>
public sealed partial class SplitStore : IRuntimeSettingView
{
    private readonly RuntimeStateStore _state;
    private volatile FrozenDictionary<string, RouteSplitHolder> _routes = FrozenDictionary<string, RouteSplitHolder>.Empty;

    // Written under the state store's gate.
    private IReadOnlyDictionary<string, SplitDefinition>? _definitions;
    private readonly List<SplitChange> _pending = [];

    /// <summary>A store that keeps its state in memory only.</summary>
    public SplitStore()
        : this(new RuntimeStateStore(new InMemoryStateRepository(), TimeProvider.System))
    {
    }

    /// <summary>The split view of <paramref name="state"/>: every change is persisted there before it is in force.</summary>
    public SplitStore(RuntimeStateStore state)
    {
        _state = state;
        state.Register(this);
    }

    /// <summary>Raised after each applied change, outside of any request (under the state store's gate: handlers must not write).</summary>
    public event Action<SplitChange>? Changed;

    /// <summary>The one state store this view belongs to.</summary>
    public RuntimeStateStore State => _state;

    /// <summary>True when the file's splits are in force uncommitted (<see cref="RuntimeStateStore.IsDetached"/>).</summary>
    public bool IsDetached => _state.IsDetached;

    /// <summary>The route ids that have a split.</summary>
    public IEnumerable<string> RouteIds => _routes.Keys;

    string IRuntimeSettingView.Kind => SettingKinds.Split;

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
    public async Task<IReadOnlyList<SplitRevision>> GetHistoryAsync(string routeId, int limit, CancellationToken cancellationToken) =>
        [.. (await _state.GetHistoryAsync(SplitSetting.Key(routeId), limit, cancellationToken).ConfigureAwait(false)).Select(SplitSetting.Revision)];

    /// <summary>
    /// Brings the store in line with the configuration file's complete set of definitions, merged with persisted runtime
    /// changes (<see cref="ConfigMergeRule"/>): new routes are added, routes whose file split changed get a new revision,
    /// routes no longer present are removed (with a shared repository, on this instance only), the others keep their revision. The first call puts persisted state back in force;
    /// when the repository cannot be reached then (<see cref="StateUnavailableException"/>), the file's splits go in
    /// force uncommitted (<see cref="IsDetached"/>) rather than the gateway refusing to start.
    /// </summary>
    public Task<IReadOnlyList<SplitChange>> ReplaceAsync(IReadOnlyDictionary<string, SplitDefinition> definitions, CancellationToken cancellationToken) =>
        _state.WriteAsync<IReadOnlyList<SplitChange>>(
            async transaction =>
            {
                _pending.Clear();
                _definitions = definitions;
                await ApplyDefinitionsAsync(transaction, definitions, _routes).ConfigureAwait(false);
                return TakePending();
            },
            cancellationToken,
            whenUnavailable: () =>
            {
                _pending.Clear();
                _definitions = definitions;
                Detach(definitions);
                return Task.FromResult<IReadOnlyList<SplitChange>>(TakePending());
            });

    /// <summary>Has the state store catch up (<see cref="RuntimeStateStore.SyncAsync(CancellationToken)"/>); returns the split changes it put in force.</summary>
    public Task<IReadOnlyList<SplitChange>> SyncAsync(CancellationToken cancellationToken) =>
        _state.SyncAsync(_pending.Clear, _ => (IReadOnlyList<SplitChange>)TakePending(), cancellationToken);

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
            var history = await GetHistoryAsync(routeId, 1, ct).ConfigureAwait(false);
            if (history is not [{ Before: { } before } latest] || latest.Revision != current.Revision)
            {
                return SplitProposal.Refuse($"revision {current.Revision} has no previous split to restore");
            }

            return before.HasSameClustersAs(SplitState.Of(current.Definition))
                ? SplitProposal.To(current.Definition with { Stable = before.Stable, Weights = before.Weights })
                : SplitProposal.Refuse($"the split before revision {current.Revision} has other clusters ({before}): the configuration changed them since");
        }, cancellationToken);

    private Task<SplitUpdateResult> WriteAsync(string routeId, SplitEdit edit, Func<SplitSnapshot, CancellationToken, Task<SplitProposal>> decide, CancellationToken cancellationToken) =>
        _state.WriteAsync(
            async transaction =>
            {
                var result = await TryWriteAsync(transaction, routeId, edit, decide, cancellationToken).ConfigureAwait(false);
                _pending.Clear();
                return result;
            },
            cancellationToken);

    private async Task<SplitUpdateResult> TryWriteAsync(
        StateTransaction transaction,
        string routeId,
        SplitEdit edit,
        Func<SplitSnapshot, CancellationToken, Task<SplitProposal>> decide,
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

        var revision = previous.Revision + 1;
        var after = SplitState.Of(definition);
        var record = new RouteSplitRecord(previous.RouteId, revision, after, holder.Configured);
        var entry = new SplitRevision(
            previous.RouteId, revision, transaction.Now, edit.Actor, edit.Action, edit.Source, SplitState.Of(previous.Definition), after, edit.Reason);

        // The view puts the committed revision in force (ApplyAsync), as it does another instance's.
        await transaction.CommitAsync([SplitSetting.Commit(new SplitCommit(record, entry))]).ConfigureAwait(false);
        return new SplitUpdateResult(SplitUpdateOutcome.Applied, _routes[routeId].Current);
    }

    private List<SplitChange> TakePending()
    {
        List<SplitChange> changes = [.. _pending];
        _pending.Clear();
        return changes;
    }
}
