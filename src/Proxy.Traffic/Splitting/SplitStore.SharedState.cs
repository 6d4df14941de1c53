using System.Collections.Frozen;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Splitting;

/// <summary>
/// The split store's side of a state repository shared by several gateway instances: catching up with their commits,
/// starting detached when the repository is down, and noticing (and rebuilding) a shared state that came back empty.
/// </summary>
public sealed partial class SplitStore
{
    /// <summary>
    /// Catches up with changes other gateway instances committed to a shared repository: each route whose persisted
    /// revision is newer than the one in force gets the persisted split, at that revision, without a new commit. After a
    /// start-up without the repository (<see cref="IsDetached"/>), merges the file's splits with the persisted state as a
    /// start-up would. Throws <see cref="SplitStateUnavailableException"/> while the repository cannot be reached.
    /// </summary>
    public async Task<IReadOnlyList<SplitChange>> SyncAsync(CancellationToken cancellationToken)
    {
        List<SplitChange> changes;
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            changes = await SyncLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }

        Publish(changes);
        return changes;
    }

    // Under the gate. Without a first load (a detached start, or a conflict that showed the records stale), merges the file
    // again as a start-up would; otherwise applies the persisted revisions newer than those in force.
    private async Task<List<SplitChange>> SyncLockedAsync(CancellationToken cancellationToken)
    {
        if (_definitions is null)
        {
            return [];
        }

        if (!_loaded)
        {
            return await ApplyDefinitionsAsync(_definitions, detachWhenUnavailable: false, cancellationToken).ConfigureAwait(false);
        }

        var records = await LoadLockedAsync(cancellationToken).ConfigureAwait(false);
        if (!_loaded)
        {
            // The state was rebuilt or replaced: take it as a start-up would, whatever its revisions.
            return await ApplyDefinitionsAsync(_definitions, detachWhenUnavailable: false, cancellationToken).ConfigureAwait(false);
        }

        var (routes, changes) = PersistedChanges.Apply(_routes, _records, records);
        _routes = routes;
        return changes;
    }

    // Under the gate. The first commit into an empty shared store creates its generation: learn it, or a loss of that
    // state would go unnoticed here.
    private async Task CommitLockedAsync(IReadOnlyList<SplitCommit> commits)
    {
        await _repository.CommitAsync(commits, CancellationToken.None).ConfigureAwait(false);
        if (_generation is null && _repository is IRebuildableSplitStateRepository rebuildable)
        {
            _generation = await rebuildable.GetGenerationAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    // Under the gate. With a rebuildable repository, compares the state's generation with the one last loaded: when the
    // state is gone (a Redis back empty), writes back what this instance knows — one instance of the fleet wins that
    // compare-and-set — then reads again; gone or replaced, the caller must merge what it reads as a start-up would
    // (_loaded is false). The first load, or one after a recovery, adopts whatever generation it finds.
    private async Task<IReadOnlyList<RouteSplitRecord>> LoadLockedAsync(CancellationToken cancellationToken)
    {
        if (_repository is not IRebuildableSplitStateRepository rebuildable)
        {
            return await _repository.LoadAsync(cancellationToken).ConfigureAwait(false);
        }

        var persisted = await rebuildable.LoadGenerationAsync(cancellationToken).ConfigureAwait(false);
        if (_generation is { } known && persisted.Generation != known)
        {
            RouteSplitRecord[] held = [.. _records.Values];
            var rebuilt = persisted.Generation is null && await rebuildable.RebuildAsync(held, cancellationToken).ConfigureAwait(false);
            _recovery = new SplitStateRecovery(rebuilt ? held : []);
            _loaded = false;
            persisted = await rebuildable.LoadGenerationAsync(cancellationToken).ConfigureAwait(false);
        }

        _generation = persisted.Generation;
        return persisted.Routes;
    }

    // The repository cannot be reached at start-up: the file's splits go in force uncommitted, until a sync merges them.
    private List<SplitChange> Detach(IReadOnlyDictionary<string, SplitDefinition> definitions)
    {
        var plan = new ConfigApplyPlan(FrozenDictionary<string, RouteSplitHolder>.Empty, new Dictionary<string, RouteSplitRecord>(), _timeProvider.GetUtcNow());
        plan.Build(definitions);
        var changes = new List<SplitChange>();
        _routes = plan.Apply(changes).ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        IsDetached = true;
        return changes;
    }
}
