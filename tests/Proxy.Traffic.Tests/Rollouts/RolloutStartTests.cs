using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Splitting;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Tests.Rollouts;

/// <summary>A start is committed whole: a rollout that cannot be saved moves no traffic, and a step in force is always managed.</summary>
public class RolloutStartTests
{
    [Fact]
    public async Task A_rollout_whose_state_cannot_be_saved_moves_no_traffic()
    {
        using var harness = await new RolloutHarness(new FailingSaves(failFrom: 1)).WithRouteAsync();

        await Assert.ThrowsAsync<IOException>(() => harness.Controller.StartRolloutAsync("shop", RolloutHarness.Canary(), "ci", default));

        Assert.Equal("blue=100%, canary=0% (stable blue)", harness.Weights());
        var history = await harness.Store.GetHistoryAsync("shop", 10, default);
        Assert.DoesNotContain(history, h => h.Source == SplitChangeSource.Rollout);
        Assert.Null(harness.Registry.Get("shop"));
    }

    [Fact]
    public async Task A_first_step_whose_save_failed_is_taken_up_by_the_next_tick()
    {
        var saves = new FailingSaves(failFrom: 2, failUntil: 2);
        using var harness = await new RolloutHarness(saves).WithRouteAsync();

        await Assert.ThrowsAsync<IOException>(() => harness.Controller.StartRolloutAsync("shop", RolloutHarness.Canary(), "ci", default));
        Assert.Equal("blue=90%, canary=10% (stable blue)", harness.Weights());

        await harness.Controller.TickAsync(default);

        Assert.Equal((0, RolloutPhase.Progressing), (harness.Rollout.Step, harness.Rollout.Phase));
        Assert.True(harness.Store.TryGetSnapshot("shop", out var split));
        Assert.Equal(split.Revision, harness.Rollout.Revision);
    }

    // Rollout saves number failFrom to failUntil (1-based) fail, as a full disk or a broken serialisation would.
    private sealed class FailingSaves(int failFrom, int failUntil = int.MaxValue) : IStateRepository
    {
        private readonly InMemoryStateRepository _inner = new();
        private int _saves;

        public bool IsShared => false;

        public string InstanceName => _inner.InstanceName;

        public bool IsConnected => true;

        public Task<PersistedState> LoadAsync(CancellationToken cancellationToken) => _inner.LoadAsync(cancellationToken);

        public Task CommitAsync(IReadOnlyList<SettingCommit> commits, CancellationToken cancellationToken)
        {
            if (commits.Any(c => c.Setting.Key.Kind == SettingKinds.Rollout))
            {
                var save = Interlocked.Increment(ref _saves);
                if (save >= failFrom && save <= failUntil)
                {
                    return Task.FromException(new IOException($"save {save} failed (test)"));
                }
            }

            return _inner.CommitAsync(commits, cancellationToken);
        }

        public Task<IReadOnlyList<SettingChange>> GetHistoryAsync(SettingKey key, int limit, CancellationToken cancellationToken) => _inner.GetHistoryAsync(key, limit, cancellationToken);

        public Task PingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task SubscribeAsync(Action changed, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> RebuildAsync(IReadOnlyList<StoredSetting> settings, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task ReportAsync(InstanceReport report, TimeSpan timeToLive, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IReadOnlyList<InstanceReport>> GetReportsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<InstanceReport>>([]);
    }
}
