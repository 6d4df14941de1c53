using Proxy.Traffic.Rollouts.Coordination;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Rollouts;

/// <summary>
/// Each route's latest rollout: the rollout kind's view over <see cref="RuntimeStateStore"/>, committed before
/// <see cref="RolloutRegistry"/> shows it. A save on a revision another instance moved since is refused
/// (<see cref="RolloutLeaseLostException"/>): a leader that lost its lease cannot overwrite its successor's state.
/// </summary>
public sealed class RolloutStore : IRuntimeSettingView
{
    private readonly RuntimeStateStore _state;
    private readonly RolloutRegistry _registry;

    /// <summary>The rollout view of <paramref name="state"/>, shown in <paramref name="registry"/>.</summary>
    public RolloutStore(RuntimeStateStore state, RolloutRegistry registry)
    {
        _state = state;
        _registry = registry;
        state.Register(this);
    }

    string IRuntimeSettingView.Kind => SettingKinds.Rollout;

    /// <summary>
    /// Loads the persisted rollouts into the registry when the state store has not loaded yet; afterwards a no-op: with a
    /// shared repository the sync loop keeps them current (other instances' saves are announced).
    /// </summary>
    public Task RefreshAsync(CancellationToken cancellationToken) => _state.WriteAsync(_ => Task.FromResult(true), cancellationToken);

    /// <summary>Has the state store catch up with a shared repository now (a relayed command's answer), so the registry shows the leader's save.</summary>
    public Task CatchUpAsync(CancellationToken cancellationToken) => _state.SyncAsync(cancellationToken);

    /// <summary>Persists the rollout, then shows it in the registry.</summary>
    public Task SaveAsync(RolloutState saved, string instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(saved);
        var key = RolloutSetting.Key(saved.RouteId);
        long? seen = null;
        return _state.WriteAsync(
            async transaction =>
            {
                seen ??= transaction.RevisionOf(key);
                var before = transaction.Get(key) is { } stored ? RolloutSetting.Read(stored) : null;
                if (await transaction.CommitNextAsync(key, StateJson.Write(saved), r => RolloutSetting.Change(saved, before, r), seen).ConfigureAwait(false) is null)
                {
                    // Another instance saved this rollout while this one was deciding: it leads now.
                    throw new RolloutLeaseLostException(saved.RouteId, instance);
                }

                return true;
            },
            cancellationToken);
    }

    Task IRuntimeSettingView.RestartAsync(StateTransaction transaction, CancellationToken cancellationToken)
    {
        Show(transaction.All(SettingKinds.Rollout));
        return Task.CompletedTask;
    }

    Task IRuntimeSettingView.ApplyAsync(IReadOnlyList<SettingUpdate> updates, CancellationToken cancellationToken)
    {
        Show(updates.Select(u => u.Current));
        return Task.CompletedTask;
    }

    private void Show(IEnumerable<StoredSetting> settings)
    {
        foreach (var setting in settings)
        {
            if (RolloutSetting.Read(setting) is { } rollout)
            {
                _registry.Set(rollout);
            }
        }
    }
}
