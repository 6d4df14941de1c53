using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Rollouts.State;
using Proxy.Traffic.Splitting;

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

    // Saves number failFrom to failUntil (1-based) fail, as a full disk or a broken serialisation would.
    private sealed class FailingSaves(int failFrom, int failUntil = int.MaxValue) : IRolloutStateRepository
    {
        private readonly InMemoryRolloutStateRepository _inner = new();
        private int _saves;

        public Task<IReadOnlyList<RolloutState>> LoadAsync(CancellationToken cancellationToken) => _inner.LoadAsync(cancellationToken);

        public Task SaveAsync(RolloutState state, CancellationToken cancellationToken)
        {
            var save = Interlocked.Increment(ref _saves);
            return save >= failFrom && save <= failUntil ? Task.FromException(new IOException($"save {save} failed (test)")) : _inner.SaveAsync(state, cancellationToken);
        }
    }
}
