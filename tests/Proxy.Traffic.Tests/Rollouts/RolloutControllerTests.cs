using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Rollouts.Analysis;
using Proxy.Traffic.Splitting;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Tests.Rollouts;

public class RolloutControllerTests
{
    [Fact]
    public async Task A_healthy_canary_walks_its_steps_once_each_pause_is_spent_and_is_promoted_after_the_last()
    {
        using var harness = await new RolloutHarness().WithRouteAsync();
        await harness.StartAsync();
        Assert.Equal("blue=90%, canary=10% (stable blue)", harness.Weights());

        await harness.RunIntervalAsync();
        Assert.Equal((0, RolloutPhase.Progressing), (harness.Rollout.Step, harness.Rollout.Phase)); // passed, but 10 of 20 s spent
        await harness.RunIntervalAsync();
        Assert.Equal("blue=50%, canary=50% (stable blue)", harness.Weights());

        await harness.RunIntervalAsync();
        await harness.RunIntervalAsync();
        Assert.Equal("blue=0%, canary=100% (stable blue)", harness.Weights());

        await harness.RunIntervalAsync(stableRequests: 0);
        Assert.Equal(RolloutPhase.Succeeded, harness.Rollout.Phase);
        Assert.Equal("blue=0%, canary=100% (stable canary)", harness.Weights());
        var history = await harness.Store.GetHistoryAsync("shop", 10, default);
        Assert.Equal(
            [SplitActions.RolloutPromote, SplitActions.RolloutStep, SplitActions.RolloutStep, SplitActions.RolloutStep],
            history.Where(h => h.Source == SplitChangeSource.Rollout).Select(h => h.Action));
    }

    [Fact]
    public async Task A_step_is_not_left_on_time_alone_without_a_passing_analysis()
    {
        using var harness = await new RolloutHarness().WithRouteAsync();
        await harness.StartAsync(RolloutHarness.Canary(RolloutHarness.Analysis(inconclusiveTimeout: TimeSpan.FromMinutes(10)), new RolloutStep(1000, TimeSpan.Zero), new RolloutStep(10000, null)));

        await harness.RunIntervalAsync(requests: 5);
        await harness.RunIntervalAsync(requests: 5);

        Assert.Equal((0, VerdictOutcome.Inconclusive), (harness.Rollout.Step, harness.Rollout.LastVerdict!.Outcome));
        Assert.Equal("blue=90%, canary=10% (stable blue)", harness.Weights());
    }

    [Fact]
    public async Task An_analysis_whose_metrics_cannot_be_read_waits_without_a_verdict_and_runs_once_they_can()
    {
        using var harness = await new RolloutHarness().WithRouteAsync();
        await harness.StartAsync(RolloutHarness.Canary(steps: [new RolloutStep(1000, TimeSpan.Zero), new RolloutStep(10000, null)]));

        harness.MetricsUnavailable = true;
        await harness.RunIntervalAsync();
        await harness.RunIntervalAsync();

        Assert.Equal((0, RolloutPhase.Progressing, null), (harness.Rollout.Step, harness.Rollout.Phase, harness.Rollout.LastVerdict));
        Assert.Equal("blue=90%, canary=10% (stable blue)", harness.Weights());

        harness.MetricsUnavailable = false;
        await harness.Controller.TickAsync(default);
        Assert.Equal((VerdictOutcome.Pass, 1), (harness.Rollout.LastVerdict?.Outcome, harness.Rollout.Step));
    }

    [Fact]
    public async Task Inconclusive_analyses_past_the_timeout_take_the_configured_action()
    {
        using var rollback = await new RolloutHarness().WithRouteAsync();
        await rollback.StartAsync();
        using var pause = await new RolloutHarness().WithRouteAsync();
        await pause.StartAsync(RolloutHarness.Canary(RolloutHarness.Analysis(onInconclusive: InconclusiveAction.Pause)));

        for (var i = 0; i < 3; i++)
        {
            await rollback.RunIntervalAsync(requests: 5);
            await pause.RunIntervalAsync(requests: 5);
        }

        Assert.Equal(RolloutPhase.RolledBack, rollback.Rollout.Phase);
        Assert.Equal("blue=100%, canary=0% (stable blue)", rollback.Weights());
        Assert.Equal(RolloutPhase.Paused, pause.Rollout.Phase);
        Assert.Equal("blue=90%, canary=10% (stable blue)", pause.Weights());
    }

    [Fact]
    public async Task Failures_up_to_the_limit_roll_back_with_the_figures_in_the_history()
    {
        using var harness = await new RolloutHarness().WithRouteAsync();
        await harness.StartAsync(RolloutHarness.Canary(RolloutHarness.Analysis(failureLimit: 2)));

        await harness.RunIntervalAsync(canaryErrorRate: 0.2);
        Assert.Equal((RolloutPhase.Progressing, 1), (harness.Rollout.Phase, harness.Rollout.ConsecutiveFailures));
        await harness.RunIntervalAsync(canaryErrorRate: 0.2);

        Assert.Equal(RolloutPhase.RolledBack, harness.Rollout.Phase);
        Assert.Equal("blue=100%, canary=0% (stable blue)", harness.Weights());
        var latest = (await harness.Store.GetHistoryAsync("shop", 1, default))[0];
        Assert.Equal((SplitActions.RolloutRollback, SplitChangeSource.Rollout), (latest.Action, latest.Source));
        Assert.Contains("canary: 100 requests, 20.0% errors", latest.Reason, StringComparison.Ordinal);
        Assert.Contains("error rate 20.0% above the limit 5.0%", latest.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pass_between_failures_resets_the_count()
    {
        using var harness = await new RolloutHarness().WithRouteAsync();
        await harness.StartAsync(RolloutHarness.Canary(RolloutHarness.Analysis(failureLimit: 2), new RolloutStep(1000, TimeSpan.FromMinutes(5)), new RolloutStep(10000, null)));

        await harness.RunIntervalAsync(canaryErrorRate: 0.2);
        await harness.RunIntervalAsync();
        await harness.RunIntervalAsync(canaryErrorRate: 0.2);

        Assert.Equal((RolloutPhase.Progressing, 1), (harness.Rollout.Phase, harness.Rollout.ConsecutiveFailures));
    }

    [Fact]
    public async Task Pause_stops_the_step_clock_and_resume_goes_on_where_it_was()
    {
        using var harness = await new RolloutHarness().WithRouteAsync();
        await harness.StartAsync();
        await harness.Controller.PauseAsync("shop", "ops", default);

        await harness.RunIntervalAsync();
        await harness.RunIntervalAsync();
        Assert.Equal((0, RolloutPhase.Paused), (harness.Rollout.Step, harness.Rollout.Phase));

        await harness.Controller.ResumeAsync("shop", "ops", default);
        await harness.RunIntervalAsync();
        Assert.Equal(0, harness.Rollout.Step); // 10 of 20 s spent since the resume
        await harness.RunIntervalAsync();
        Assert.Equal(1, harness.Rollout.Step);
    }

    [Fact]
    public async Task A_step_without_pause_waits_for_a_resume()
    {
        using var harness = await new RolloutHarness().WithRouteAsync();
        await harness.StartAsync(RolloutHarness.Canary(null, new RolloutStep(1000, null), new RolloutStep(10000, null)));

        await harness.RunIntervalAsync();
        await harness.RunIntervalAsync();
        Assert.Equal((0, RolloutPhase.Paused, true), (harness.Rollout.Step, harness.Rollout.Phase, harness.Rollout.AwaitingResume));

        await harness.Controller.ResumeAsync("shop", "ops", default);

        Assert.Equal((1, RolloutPhase.Progressing), (harness.Rollout.Step, harness.Rollout.Phase));
        Assert.Equal("blue=0%, canary=100% (stable blue)", harness.Weights());
    }

    [Fact]
    public async Task A_manual_weight_change_aborts_the_rollout_and_stands()
    {
        using var harness = await new RolloutHarness().WithRouteAsync();
        await harness.StartAsync();

        await harness.Store.UpdateAsync("shop", new SplitEdit(SplitActions.SetWeights, "ops", SplitChangeSource.Api, "hold at 30"), split =>
            SplitProposal.To(split.Definition.WithWeights([new("blue", 7000), new("canary", 3000)])), default);
        await harness.Controller.TickAsync(default);

        Assert.Equal(RolloutPhase.Aborted, harness.Rollout.Phase);
        Assert.Contains("set-weights by ops (api), \"hold at 30\"", harness.Rollout.Events[^1].Message, StringComparison.Ordinal);
        Assert.Equal("blue=70%, canary=30% (stable blue)", harness.Weights());
    }

    [Fact]
    public async Task A_step_written_for_the_rollout_whose_state_was_not_saved_is_taken_up_not_aborted()
    {
        using var harness = await new RolloutHarness().WithRouteAsync();
        await harness.StartAsync();

        // What a driver that crashed (or lost its lease) between the split write of step 2 and the rollout save leaves.
        await WriteAsRolloutAsync(harness, SplitActions.RolloutStep, "blue", 5000);
        await harness.Controller.TickAsync(default);

        Assert.Equal((1, RolloutPhase.Progressing), (harness.Rollout.Step, harness.Rollout.Phase));
        Assert.True(harness.Store.TryGetSnapshot("shop", out var split));
        Assert.Equal(split.Revision, harness.Rollout.Revision);
        Assert.Contains("written for this rollout before its state could be saved", harness.Rollout.Events[^1].Message, StringComparison.Ordinal);
        await harness.RunIntervalAsync();
        await harness.RunIntervalAsync();
        Assert.Equal(2, harness.Rollout.Step); // it goes on from there
    }

    [Fact]
    public async Task A_promotion_written_for_the_rollout_ends_it_as_succeeded()
    {
        using var harness = await new RolloutHarness().WithRouteAsync();
        await harness.StartAsync();

        await WriteAsRolloutAsync(harness, SplitActions.RolloutPromote, "canary", 10000);
        await harness.Controller.TickAsync(default);

        Assert.Equal(RolloutPhase.Succeeded, harness.Rollout.Phase);
    }

    [Fact]
    public async Task A_rollout_write_followed_by_an_operators_change_still_aborts()
    {
        using var harness = await new RolloutHarness().WithRouteAsync();
        await harness.StartAsync();

        await WriteAsRolloutAsync(harness, SplitActions.RolloutStep, "blue", 5000);
        await harness.Store.UpdateAsync("shop", new SplitEdit(SplitActions.SetWeights, "ops", SplitChangeSource.Api, "hold"), split =>
            SplitProposal.To(split.Definition.WithWeights([new("blue", 7000), new("canary", 3000)])), default);
        await harness.Controller.TickAsync(default);

        Assert.Equal(RolloutPhase.Aborted, harness.Rollout.Phase);
    }

    [Fact]
    public async Task Abort_rolls_back_and_promote_makes_the_candidate_stable()
    {
        using var aborted = await new RolloutHarness().WithRouteAsync();
        await aborted.StartAsync();
        using var promoted = await new RolloutHarness().WithRouteAsync();
        await promoted.StartAsync();

        await aborted.Controller.AbortAsync("shop", "ops", default);
        await promoted.Controller.PromoteAsync("shop", "ops", default);

        Assert.Equal((RolloutPhase.Aborted, "blue=100%, canary=0% (stable blue)"), (aborted.Rollout.Phase, aborted.Weights()));
        Assert.Equal((RolloutPhase.Succeeded, "blue=0%, canary=100% (stable canary)"), (promoted.Rollout.Phase, promoted.Weights()));
        Assert.Equal(RolloutCommandOutcome.Conflict, (await promoted.Controller.PauseAsync("shop", "ops", default)).Outcome);
    }

    [Fact]
    public async Task A_second_rollout_is_refused_while_one_runs()
    {
        using var harness = await new RolloutHarness().WithRouteAsync();
        await harness.StartAsync();

        var second = await harness.Controller.StartRolloutAsync("shop", RolloutHarness.Canary(), "ci", default);

        Assert.Equal(RolloutCommandOutcome.Conflict, second.Outcome);
    }

    [Fact]
    public async Task A_restarted_controller_resumes_at_the_same_step_with_the_time_spent_counted_and_downtime_not()
    {
        var repository = new InMemoryStateRepository();
        using var before = await new RolloutHarness(repository).WithRouteAsync();
        await before.StartAsync(RolloutHarness.Canary(null, new RolloutStep(1000, TimeSpan.FromSeconds(20)), new RolloutStep(2000, TimeSpan.FromSeconds(30)), new RolloutStep(10000, null)));
        await before.RunIntervalAsync();
        await before.RunIntervalAsync();
        await before.RunIntervalAsync(); // 10 s into step 2 (20%)
        Assert.Equal(1, before.Rollout.Step);

        before.Time.Advance(TimeSpan.FromMinutes(5)); // the gateway is down
        using var after = await new RolloutHarness(repository, before.Time).WithRouteAsync();
        await after.Controller.TickAsync(default);

        Assert.Equal((1, RolloutPhase.Progressing), (after.Rollout.Step, after.Rollout.Phase));
        Assert.Equal("blue=80%, canary=20% (stable blue)", after.Weights());
        await after.RunIntervalAsync();
        Assert.Equal(1, after.Rollout.Step); // 20 of 30 s
        await after.RunIntervalAsync();
        Assert.Equal(2, after.Rollout.Step); // 30 s: the 10 s before the restart counted
    }

    [Fact]
    public async Task A_declared_rollout_starts_once_per_declaration_and_never_over_a_running_one()
    {
        using var harness = await new RolloutHarness().WithRouteAsync();
        var declared = new Dictionary<string, RolloutPlan> { ["shop"] = RolloutHarness.Canary() };

        await harness.Controller.StartDeclaredAsync(declared, default);
        await harness.Controller.AbortAsync("shop", "ops", default);
        await harness.Controller.StartDeclaredAsync(declared, default);
        Assert.Equal((1, RolloutPhase.Aborted), (harness.Rollout.Id, harness.Rollout.Phase));

        await harness.StartAsync(RolloutHarness.Canary(null, new RolloutStep(500, null)));
        var changed = new Dictionary<string, RolloutPlan> { ["shop"] = RolloutHarness.Canary(null, new RolloutStep(2500, null)) };
        await harness.Controller.StartDeclaredAsync(changed, default);
        Assert.Equal((2, "blue=95%, canary=5% (stable blue)"), (harness.Rollout.Id, harness.Weights()));

        await harness.Controller.AbortAsync("shop", "ops", default);
        await harness.Controller.StartDeclaredAsync(changed, default);
        Assert.Equal((3, "config", "blue=75%, canary=25% (stable blue)"), (harness.Rollout.Id, harness.Rollout.Actor, harness.Weights()));
    }

    [Fact]
    public async Task A_blue_green_rollout_previews_at_zero_then_switches_in_one_step_and_promotes_after_the_post_window()
    {
        using var harness = await new RolloutHarness().WithRouteAsync();
        var steps = RolloutPlan.BlueGreenSteps(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20));
        await harness.StartAsync(new RolloutPlan("canary", RolloutStrategy.BlueGreen, steps, RolloutHarness.Analysis()));
        Assert.Equal("blue=100%, canary=0% (stable blue)", harness.Weights());

        await harness.RunIntervalAsync(); // preview traffic (overrides) passes
        Assert.Equal("blue=0%, canary=100% (stable blue)", harness.Weights()); // blue stays stable: the fallback and rollback target

        await harness.RunIntervalAsync(stableRequests: 0);
        Assert.Equal(RolloutPhase.Progressing, harness.Rollout.Phase);
        await harness.RunIntervalAsync(stableRequests: 0);
        Assert.Equal((RolloutPhase.Succeeded, "blue=0%, canary=100% (stable canary)"), (harness.Rollout.Phase, harness.Weights()));
    }

    private static Task<SplitUpdateResult> WriteAsRolloutAsync(RolloutHarness harness, string action, string stable, int canary) =>
        harness.Store.UpdateAsync("shop", new SplitEdit(action, SplitActions.RolloutActor, SplitChangeSource.Rollout, "rollout 1"), split =>
            SplitProposal.To(split.Definition with { Stable = stable, Weights = [new("blue", 10000 - canary), new("canary", canary)] }), default);
}
