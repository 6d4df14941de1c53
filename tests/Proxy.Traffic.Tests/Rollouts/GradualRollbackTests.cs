using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Rollouts.Rollback;
using Proxy.Traffic.Rollouts.Webhooks;
using Proxy.Traffic.Splitting;
using Proxy.Traffic.State;
using Proxy.Traffic.Tests.Rollouts.Webhooks;

namespace Proxy.Traffic.Tests.Rollouts;

public class GradualRollbackTests
{
    private static readonly TimeSpan Walk = TimeSpan.FromSeconds(5);

    // The candidate at 80% (a long first step), then 100%; rolled back through 50%, 20%, 0%, 5 s each.
    private static RolloutPlan Plan(int failureLimit = 1) =>
        RolloutHarness.Canary(RolloutHarness.Analysis(failureLimit: failureLimit), new RolloutStep(8000, TimeSpan.FromMinutes(5)), new RolloutStep(10000, null))
            with { Rollback = new RollbackPlan([5000, 2000, 0], Walk) };

    [Fact]
    public async Task A_failed_verdict_walks_the_candidate_down_one_revision_per_interval_and_ends_rolled_back()
    {
        using var harness = await new RolloutHarness().WithRouteAsync();
        await harness.StartAsync(Plan());

        await harness.RunIntervalAsync(canaryErrorRate: 0.2);
        Assert.Equal((RolloutPhase.RollingBack, true), (harness.Rollout.Phase, harness.Rollout.IsActive));
        Assert.Equal("blue=20%, canary=80% (stable blue)", harness.Weights()); // saved before the first weight is written

        await WalksDownOneRevisionPerIntervalAsync(harness);
        Assert.Null(harness.Rollout.Rollback);
        Assert.StartsWith("rolled back to blue (rollout 1): 1 failed analysis in a row", harness.Rollout.Events[^1].Message, StringComparison.Ordinal);
        Assert.EndsWith("walked down through 50%, 20%, 0%", harness.Rollout.Events[^1].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0)] // a passing window: only the hook rolls back
    [InlineData(0.2)] // a failing window in the same tick: the walk begun by the hook still walks
    public async Task A_2xx_from_a_rollback_hook_walks_the_plan_one_revision_per_interval_and_the_hook_is_not_asked_during_the_walk(double canaryErrorRate)
    {
        var incident = false;
        var hooks = new ScriptedHooks { Answer = _ => incident ? ScriptedHooks.Status(200, "INC-42") : ScriptedHooks.Status(404) };
        using var harness = await new RolloutHarness(hooks: hooks).WithRouteAsync();
        await harness.StartAsync(Plan() with { Webhooks = [RolloutGateTests.Hook("kill-switch", RolloutWebhookType.Rollback)] });
        await harness.Controller.TickAsync(default);
        Assert.Equal((1, "blue=20%, canary=80% (stable blue)"), (hooks.CallsOf("kill-switch"), harness.Weights()));

        incident = true;
        await harness.RunIntervalAsync(canaryErrorRate: canaryErrorRate); // the hook's next ask, with the window's analysis
        Assert.Equal((RolloutPhase.RollingBack, "blue=20%, canary=80% (stable blue)"), (harness.Rollout.Phase, harness.Weights()));
        var verdicts = harness.Rollout.Verdicts.Count;

        await WalksDownOneRevisionPerIntervalAsync(harness);
        Assert.Equal("rolled back to blue (rollout 1): the rollback hook 'kill-switch' answered 200; walked down through 50%, 20%, 0%", harness.Rollout.Events[^1].Message);
        Assert.Equal((2, verdicts), (hooks.CallsOf("kill-switch"), harness.Rollout.Verdicts.Count)); // neither asked nor analysed while walking
    }

    [Fact]
    public async Task The_walk_is_not_analysed_and_takes_no_command_but_abort_which_ends_it_at_once()
    {
        using var harness = await new RolloutHarness().WithRouteAsync();
        await harness.StartAsync(Plan());
        await harness.RunIntervalAsync(canaryErrorRate: 0.2);
        await harness.Controller.TickAsync(default); // 50%
        var verdicts = harness.Rollout.Verdicts.Count;

        await harness.RunIntervalAsync(canaryErrorRate: 0.2); // a failing window, and the walk's next weight (20%)
        Assert.Equal((verdicts, "blue=80%, canary=20% (stable blue)"), (harness.Rollout.Verdicts.Count, harness.Weights()));
        foreach (var command in new Func<Task<RolloutCommandResult>>[]
        {
            () => harness.Controller.PauseAsync("shop", "ops", default),
            () => harness.Controller.ResumeAsync("shop", "ops", default),
            () => harness.Controller.PromoteAsync("shop", "ops", default),
        })
        {
            var refused = await command();
            Assert.Equal(RolloutCommandOutcome.Conflict, refused.Outcome);
            Assert.Contains("is rolling back gradually", refused.Detail, StringComparison.Ordinal);
        }

        var aborted = await harness.Controller.AbortAsync("shop", "ops", default);

        Assert.Equal((RolloutPhase.Aborted, "blue=100%, canary=0% (stable blue)"), (aborted.State!.Phase, harness.Weights()));
        Assert.Contains("aborted by ops during the gradual rollback (1 failed analysis in a row", aborted.State.Events[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operators_abort_walks_the_plan_and_ends_aborted()
    {
        using var harness = await new RolloutHarness().WithRouteAsync();
        await harness.StartAsync(Plan());

        var abort = await harness.Controller.AbortAsync("shop", "ops", default);
        Assert.Equal((RolloutPhase.RollingBack, "blue=20%, canary=80% (stable blue)"), (abort.State!.Phase, harness.Weights()));
        await harness.Controller.TickAsync(default);
        harness.Time.Advance(Walk);
        await harness.Controller.TickAsync(default);
        Assert.Equal("blue=80%, canary=20% (stable blue)", harness.Weights());
        harness.Time.Advance(Walk);
        await harness.Controller.TickAsync(default);

        Assert.Equal((RolloutPhase.Aborted, "blue=100%, canary=0% (stable blue)"), (harness.Rollout.Phase, harness.Weights()));
        Assert.StartsWith("rolled back to blue (rollout 1): aborted by ops; walked down", harness.Rollout.Events[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_candidate_with_no_rollback_step_above_zero_below_its_weight_goes_straight_to_stable()
    {
        using var harness = await new RolloutHarness().WithRouteAsync();
        await harness.StartAsync(RolloutHarness.Canary(null, new RolloutStep(1000, TimeSpan.FromMinutes(5)), new RolloutStep(10000, null))
            with { Rollback = new RollbackPlan([5000, 2000, 0], Walk) });

        await harness.RunIntervalAsync(canaryErrorRate: 0.2);

        Assert.Equal((RolloutPhase.RolledBack, "blue=100%, canary=0% (stable blue)"), (harness.Rollout.Phase, harness.Weights()));
        Assert.Equal(SplitActions.RolloutRollback, (await harness.Store.GetHistoryAsync("shop", 1, default))[0].Action);
    }

    [Fact]
    public async Task A_change_of_the_split_during_the_walk_stops_it_and_stands()
    {
        using var harness = await new RolloutHarness().WithRouteAsync();
        await harness.StartAsync(Plan());
        await harness.RunIntervalAsync(canaryErrorRate: 0.2);
        await harness.Controller.TickAsync(default); // 50%

        await harness.SetWeightsAsync(0, reason: "all to blue now");
        harness.Time.Advance(Walk);
        await harness.Controller.TickAsync(default);

        Assert.Equal((RolloutPhase.Aborted, "blue=100%, canary=0% (stable blue)"), (harness.Rollout.Phase, harness.Weights()));
        Assert.Equal(SplitActions.SetWeights, (await harness.Store.GetHistoryAsync("shop", 1, default))[0].Action); // the walk wrote nothing after it
        Assert.Contains("set-weights by ops (api), \"all to blue now\"; it stopped the gradual rollback (1 failed analysis", harness.Rollout.Events[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restart_during_the_walk_resumes_it_at_its_weight_and_the_downtime_does_not_count()
    {
        var repository = new InMemoryStateRepository();
        using var before = await new RolloutHarness(repository).WithRouteAsync();
        await before.StartAsync(Plan());
        await before.RunIntervalAsync(canaryErrorRate: 0.2);
        await before.Controller.TickAsync(default); // 50%, saved

        before.Time.Advance(TimeSpan.FromMinutes(5)); // the gateway is down
        using var after = await new RolloutHarness(repository, before.Time).WithRouteAsync();
        await after.Controller.TickAsync(default);
        Assert.Equal((RolloutPhase.RollingBack, "blue=50%, canary=50% (stable blue)"), (after.Rollout.Phase, after.Weights()));
        Assert.Equal("resumed the gradual rollback after a restart", after.Rollout.Events[^1].Message);

        after.Time.Advance(Walk - TimeSpan.FromMilliseconds(100));
        await after.Controller.TickAsync(default);
        Assert.Equal("blue=50%, canary=50% (stable blue)", after.Weights());
        after.Time.Advance(TimeSpan.FromMilliseconds(100)); // the weight's 5 s, counted from the restart
        await after.Controller.TickAsync(default);
        Assert.Equal("blue=80%, canary=20% (stable blue)", after.Weights());
    }

    [Fact]
    public async Task A_walk_step_written_but_not_saved_before_a_crash_is_taken_up_not_treated_as_an_outside_change()
    {
        using var harness = await new RolloutHarness().WithRouteAsync();
        await harness.StartAsync(Plan());
        await harness.RunIntervalAsync(canaryErrorRate: 0.2);
        var walking = harness.Rollout;

        // What the walk's first write does, with the rollout's state left unsaved (the driver died in between).
        await new RolloutSplitWriter(harness.Store).WriteAsync(walking, SplitActions.RolloutRollbackStep, "blue", 5000, "rollback step 1 of 3");
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await harness.Controller.TickAsync(default);

        Assert.Equal((RolloutPhase.RollingBack, 1), (harness.Rollout.Phase, harness.Rollout.Rollback!.Next));
        Assert.Contains("rollback step 1 of 3: revision", harness.Rollout.Events[^1].Message, StringComparison.Ordinal);
        harness.Time.Advance(Walk - TimeSpan.FromSeconds(1)); // 5 s after the write
        await harness.Controller.TickAsync(default);
        Assert.Equal("blue=80%, canary=20% (stable blue)", harness.Weights());
    }

    // From the saved 20 % stable: 50 % at once, 20 % one interval later (not before), 0 % the next, each step a revision.
    private static async Task WalksDownOneRevisionPerIntervalAsync(RolloutHarness harness)
    {
        await harness.Controller.TickAsync(default);
        Assert.Equal("blue=50%, canary=50% (stable blue)", harness.Weights());
        harness.Time.Advance(Walk - TimeSpan.FromMilliseconds(100));
        await harness.Controller.TickAsync(default);
        Assert.Equal("blue=50%, canary=50% (stable blue)", harness.Weights());
        harness.Time.Advance(TimeSpan.FromMilliseconds(100));
        await harness.Controller.TickAsync(default);
        Assert.Equal(("blue=80%, canary=20% (stable blue)", RolloutPhase.RollingBack), (harness.Weights(), harness.Rollout.Phase));
        harness.Time.Advance(Walk);
        await harness.Controller.TickAsync(default);
        Assert.Equal(("blue=100%, canary=0% (stable blue)", RolloutPhase.RolledBack), (harness.Weights(), harness.Rollout.Phase));
        var walk = (await harness.Store.GetHistoryAsync("shop", 3, default)).Reverse()
            .Select(h => $"{h.Action} canary={h.After!.Weights.Single(w => w.ClusterId == "canary").BasisPoints}");
        Assert.Equal(["rollout-rollback-step canary=5000", "rollout-rollback-step canary=2000", "rollout-rollback canary=0"], walk);
    }
}
