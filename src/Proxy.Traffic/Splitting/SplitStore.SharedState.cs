using System.Collections.Frozen;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Splitting;

/// <summary>
/// The split store's side of the state store: applying the configuration file with persisted state, putting committed
/// revisions (this instance's and other instances') in force, and starting detached when the repository is down.
/// </summary>
public sealed partial class SplitStore
{
    Task IRuntimeSettingView.RestartAsync(StateTransaction transaction, CancellationToken cancellationToken) =>
        // As at start-up: persisted state decides, not what is in force (stale, or never committed while detached).
        _definitions is null ? Task.CompletedTask : ApplyDefinitionsAsync(transaction, _definitions, FrozenDictionary<string, RouteSplitHolder>.Empty);

    Task IRuntimeSettingView.ApplyAsync(IReadOnlyList<SettingUpdate> updates, CancellationToken cancellationToken)
    {
        var (routes, changes) = PersistedChanges.Apply(_routes, updates);
        _routes = routes;
        Record(changes);
        return Task.CompletedTask;
    }

    // Under the state store's gate. The plan's commits go first; when they fail nothing is in force that is not persisted.
    private async Task ApplyDefinitionsAsync(
        StateTransaction transaction, IReadOnlyDictionary<string, SplitDefinition> definitions, FrozenDictionary<string, RouteSplitHolder> inForce)
    {
        var plan = new ConfigApplyPlan(inForce, Records(transaction.All(SettingKinds.Split)), transaction.Now, shared: _state.IsShared);
        plan.Build(definitions);
        await transaction.CommitAsync([.. plan.Commits.Select(SplitSetting.Commit)], apply: false).ConfigureAwait(false);
        Apply(plan);
    }

    // The repository cannot be reached at start-up: the file's splits go in force uncommitted, until a sync merges them.
    private void Detach(IReadOnlyDictionary<string, SplitDefinition> definitions)
    {
        var plan = new ConfigApplyPlan(FrozenDictionary<string, RouteSplitHolder>.Empty, new Dictionary<string, RouteSplitRecord>(), _state.TimeProvider.GetUtcNow());
        plan.Build(definitions);
        Apply(plan);
    }

    private void Apply(ConfigApplyPlan plan)
    {
        var changes = new List<SplitChange>();
        _routes = plan.Apply(changes).ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        Record(changes);
    }

    // Changes are announced as they are made (the handlers only count them); a write also returns those it caused.
    private void Record(List<SplitChange> changes)
    {
        _pending.AddRange(changes);
        foreach (var change in changes)
        {
            Changed?.Invoke(change);
        }
    }

    private static Dictionary<string, RouteSplitRecord> Records(IEnumerable<StoredSetting> settings) =>
        settings.Select(SplitSetting.Read).ToDictionary(r => r.RouteId, StringComparer.OrdinalIgnoreCase);
}
