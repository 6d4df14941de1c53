using System.Text.Json;
using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Rollouts.Analysis;
using Proxy.Traffic.Rollouts.Webhooks;
using Proxy.Traffic.Splitting;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Tests.Rollouts.Webhooks;

/// <summary>The rollout webhooks' effects and timing on fake time, each hook type answered by a script.</summary>
public class RolloutGateTests
{
    private static readonly TimeSpan Interval = RolloutHarness.Interval;

    internal static RolloutWebhook Hook(string name, RolloutWebhookType type, bool manual = false, Dictionary<string, string>? metadata = null) =>
        new(name, type, manual ? null : ScriptedHooks.Url(name), RolloutWebhook.DefaultTimeout, metadata ?? []);

    private static RolloutPlan Plan(RolloutStep[] steps, params RolloutWebhook[] hooks) =>
        RolloutHarness.Canary(null, steps) with { Webhooks = hooks };

    private static RolloutPlan Plan(params RolloutWebhook[] hooks) => RolloutHarness.Canary() with { Webhooks = hooks };

    private static IEnumerable<string> Events(RolloutState rollout) => rollout.Events.Select(e => e.Message);

    [Fact]
    public async Task A_confirm_rollout_gate_holds_the_first_step_and_is_asked_again_every_interval_until_it_answers_2xx()
    {
        var hooks = new ScriptedHooks();
        var asked = 0;
        hooks.Answer = _ => ++asked < 3 ? ScriptedHooks.Status(403, "change freeze") : ScriptedHooks.Status(200);
        using var harness = await new RolloutHarness(hooks: hooks).WithRouteAsync();

        var started = await harness.StartAsync(Plan(Hook("cab", RolloutWebhookType.ConfirmRollout)));

        Assert.Equal((RolloutPhase.Waiting, "cab", "answered 403: change freeze"), (started.Phase, started.Gate!.Hook, started.Gate.LastAnswer));
        Assert.True(started.IsActive);
        Assert.Equal("blue=100%, canary=0% (stable blue)", harness.Weights());
        harness.Time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        await harness.Controller.TickAsync(default);
        Assert.Equal(1, hooks.CallsOf("cab"));

        harness.Time.Advance(TimeSpan.FromMilliseconds(1));
        await harness.Controller.TickAsync(default);
        Assert.Equal((2, RolloutPhase.Waiting), (hooks.CallsOf("cab"), harness.Rollout.Phase));
        Assert.Single(Events(harness.Rollout), e => e.Contains("holds the first step", StringComparison.Ordinal)); // the same answer again is no news

        harness.Time.Advance(Interval);
        await harness.Controller.TickAsync(default);
        Assert.Equal((3, RolloutPhase.Progressing, null), (hooks.CallsOf("cab"), harness.Rollout.Phase, harness.Rollout.Gate));
        Assert.Equal("blue=90%, canary=10% (stable blue)", harness.Weights());
        Assert.Contains("confirm-rollout hook 'cab' let the first step go ahead: answered 200", Events(harness.Rollout));
        Assert.Equal(0, hooks.Calls[0].Retries); // a gate's retry is the next interval's ask
    }

    [Fact]
    public async Task An_answer_that_takes_longer_than_the_interval_is_still_taken_before_the_gate_is_asked_again()
    {
        var hooks = new ScriptedHooks { Answer = _ => null };
        using var harness = await new RolloutHarness(hooks: hooks).WithRouteAsync();
        await harness.StartAsync(Plan(Hook("slow-cab", RolloutWebhookType.ConfirmRollout)));

        harness.Time.Advance(Interval * 3);
        await harness.Controller.TickAsync(default);
        Assert.Equal(1, hooks.CallsOf("slow-cab")); // still in flight: not asked twice
        hooks.Complete(ScriptedHooks.Status(403));
        await hooks.Caller!.WhenIdleAsync();
        await harness.Controller.TickAsync(default);

        Assert.Equal((1, "answered 403"), (hooks.CallsOf("slow-cab"), harness.Rollout.Gate!.LastAnswer));
        hooks.Answer = _ => ScriptedHooks.Status(200);
        await harness.Controller.TickAsync(default);
        Assert.Equal((2, RolloutPhase.Progressing), (hooks.CallsOf("slow-cab"), harness.Rollout.Phase)); // its interval was spent: asked again at once
    }

    [Fact]
    public async Task A_refused_pre_rollout_hook_aborts_before_any_traffic_moves_with_its_answer_in_the_reason()
    {
        var hooks = new ScriptedHooks { Answer = r => r.Event == "pre-rollout" ? ScriptedHooks.Status(500, "smoke test failed: /checkout 404") : ScriptedHooks.Status(200) };
        using var harness = await new RolloutHarness(hooks: hooks).WithRouteAsync();

        var started = await harness.Controller.StartRolloutAsync(
            "shop", Plan(Hook("smoke", RolloutWebhookType.PreRollout), Hook("ready", RolloutWebhookType.ConfirmRollout)), "ci", default);

        Assert.Equal(RolloutPhase.Aborted, harness.Rollout.Phase);
        Assert.Equal(RolloutCommandOutcome.Conflict, started.Outcome);
        Assert.Equal("aborted before the first step: the pre-rollout hook 'smoke' answered 500: smoke test failed: /checkout 404", harness.Rollout.Events[^1].Message);
        Assert.Equal(["confirm-rollout", "pre-rollout"], hooks.Calls.Select(c => c.Event)); // the gate first, whatever the order written
        Assert.Equal(RolloutHookCaller.RetriesOf(RolloutWebhookType.PreRollout), hooks.Calls[1].Retries);
        Assert.Equal("blue=100%, canary=0% (stable blue)", harness.Weights());
        Assert.DoesNotContain(await harness.Store.GetHistoryAsync("shop", 10, default), h => h.Source == SplitChangeSource.Rollout);
    }

    [Fact]
    public async Task A_rollout_hook_that_does_not_answer_2xx_is_a_failed_check_shown_in_the_verdicts_figures()
    {
        var hooks = new ScriptedHooks { Answer = _ => ScriptedHooks.Status(500, "load test: 12% errors") };
        using var harness = await new RolloutHarness(hooks: hooks).WithRouteAsync();
        await harness.StartAsync(Plan(Hook("load", RolloutWebhookType.Rollout)));

        await harness.RunIntervalAsync(); // the candidate's own figures are healthy

        var verdict = harness.Rollout.Verdicts[^1];
        Assert.Equal((VerdictOutcome.Fail, RolloutPhase.RolledBack), (verdict.Outcome, harness.Rollout.Phase));
        Assert.Equal(new WebhookCheck("load", "refused", 500, false, "answered 500: load test: 12% errors"), Assert.Single(verdict.Hooks!));
        Assert.Contains("every limit met; failed check: rollout hook 'load' answered 500: load test: 12% errors", verdict.Summary, StringComparison.Ordinal);
        Assert.Equal("blue=100%, canary=0% (stable blue)", harness.Weights());
    }

    [Fact]
    public async Task A_rollout_hook_still_in_flight_delays_the_verdict_without_holding_the_tick()
    {
        var hooks = new ScriptedHooks { Answer = _ => null };
        using var harness = await new RolloutHarness(hooks: hooks).WithRouteAsync();
        await harness.StartAsync(Plan(Hook("acceptance", RolloutWebhookType.Rollout)));

        await harness.RunIntervalAsync(); // returns although the receiver has not answered
        await harness.Controller.TickAsync(default);
        Assert.Equal((null, 1), (harness.Rollout.LastVerdict, hooks.CallsOf("acceptance")));
        Assert.Equal(RolloutCommandOutcome.Done, (await harness.Controller.PauseAsync("shop", "ops", default)).Outcome); // commands are not held either
        await harness.Controller.ResumeAsync("shop", "ops", default);

        hooks.Complete(ScriptedHooks.Status(204));
        await hooks.Caller!.WhenIdleAsync();
        await harness.Controller.TickAsync(default);

        var verdict = harness.Rollout.LastVerdict!;
        Assert.Equal((VerdictOutcome.Pass, true), (verdict.Outcome, Assert.Single(verdict.Hooks!).Passed));
        Assert.Equal(1, hooks.CallsOf("acceptance"));
    }

    [Fact]
    public async Task Confirm_traffic_increase_holds_the_step_while_its_analysis_goes_on()
    {
        var open = false;
        var hooks = new ScriptedHooks { Answer = _ => open ? ScriptedHooks.Status(200) : ScriptedHooks.Status(409, "error budget spent") };
        using var harness = await new RolloutHarness(hooks: hooks).WithRouteAsync();
        await harness.StartAsync(Plan([new(1000, TimeSpan.Zero), new(5000, TimeSpan.Zero), new(10000, null)], Hook("budget", RolloutWebhookType.ConfirmTrafficIncrease)));

        await harness.RunIntervalAsync();
        await harness.RunIntervalAsync();
        Assert.Equal((RolloutPhase.Waiting, 0, 2), (harness.Rollout.Phase, harness.Rollout.Step, hooks.CallsOf("budget")));
        Assert.Equal("blue=90%, canary=10% (stable blue)", harness.Weights());
        Assert.Equal(2, harness.Rollout.Verdicts.Count);

        open = true;
        await harness.RunIntervalAsync();
        Assert.Equal((RolloutPhase.Progressing, 1), (harness.Rollout.Phase, harness.Rollout.Step));
        Assert.Equal("blue=50%, canary=50% (stable blue)", harness.Weights());

        open = false;
        await harness.RunIntervalAsync();
        Assert.Equal((RolloutPhase.Waiting, 1), (harness.Rollout.Phase, harness.Rollout.Step)); // asked afresh before each increase
        await harness.RunIntervalAsync(canaryErrorRate: 0.2);
        Assert.Equal(RolloutPhase.RolledBack, harness.Rollout.Phase); // a waiting step is still guarded
        Assert.Equal("blue=100%, canary=0% (stable blue)", harness.Weights());
    }

    [Fact]
    public async Task A_manual_confirm_promotion_gate_waits_at_the_last_step_until_an_operator_approves_it()
    {
        using var harness = await new RolloutHarness(hooks: new ScriptedHooks()).WithRouteAsync();
        await harness.StartAsync(Plan([new(2000, TimeSpan.Zero)], Hook("cab", RolloutWebhookType.ConfirmPromotion, manual: true)));

        var early = await harness.Controller.ApproveAsync("shop", "ops", "too soon", default);
        Assert.Equal((RolloutCommandOutcome.Conflict, "rollout 1 waits at no gate (it is Progressing)"), (early.Outcome, early.Detail));

        await harness.RunIntervalAsync();
        await harness.RunIntervalAsync();
        Assert.Equal((RolloutPhase.Waiting, "cab", 2), (harness.Rollout.Phase, harness.Rollout.Gate!.Hook, harness.Rollout.Verdicts.Count));
        Assert.Equal(harness.Rollout.Plan.Steps.Count, harness.Rollout.Gate.ForStep);
        Assert.Equal("blue=80%, canary=20% (stable blue)", harness.Weights());

        var approved = await harness.Controller.ApproveAsync("shop", "ops", "CAB-1234", default);

        Assert.Equal((RolloutCommandOutcome.Done, RolloutPhase.Succeeded), (approved.Outcome, approved.State!.Phase));
        Assert.Contains("manual confirm-promotion gate 'cab' before promotion approved by ops: CAB-1234", Events(harness.Rollout));
        Assert.Equal("blue=0%, canary=100% (stable canary)", harness.Weights());
    }

    [Fact]
    public async Task A_rollout_waiting_for_promotion_is_still_rolled_back_by_a_failed_analysis()
    {
        using var harness = await new RolloutHarness(hooks: new ScriptedHooks { Answer = _ => ScriptedHooks.Unreachable() }).WithRouteAsync();
        await harness.StartAsync(Plan([new(2000, TimeSpan.Zero)], Hook("cab", RolloutWebhookType.ConfirmPromotion)));

        await harness.RunIntervalAsync();
        Assert.Equal(RolloutPhase.Waiting, harness.Rollout.Phase);
        Assert.StartsWith("unreachable after 1 attempt", harness.Rollout.Gate!.LastAnswer, StringComparison.Ordinal);
        await harness.RunIntervalAsync(canaryErrorRate: 0.3);

        Assert.Equal(RolloutPhase.RolledBack, harness.Rollout.Phase);
        Assert.Equal("blue=100%, canary=0% (stable blue)", harness.Weights());
    }

    [Fact]
    public async Task A_rollback_hook_is_asked_every_interval_and_its_first_2xx_rolls_back_at_once()
    {
        var incident = false;
        var hooks = new ScriptedHooks { Answer = _ => incident ? ScriptedHooks.Status(200, "INC-42") : ScriptedHooks.Status(404) };
        using var harness = await new RolloutHarness(hooks: hooks).WithRouteAsync();
        await harness.StartAsync(Plan(Hook("kill-switch", RolloutWebhookType.Rollback)));

        await harness.Controller.TickAsync(default);
        await harness.Controller.TickAsync(default);
        await harness.RunIntervalAsync();
        Assert.Equal((2, RolloutPhase.Progressing), (hooks.CallsOf("kill-switch"), harness.Rollout.Phase));
        Assert.Single(Events(harness.Rollout), e => e == "the rollback hook 'kill-switch' answered 404: no rollback");

        incident = true;
        harness.Time.Advance(Interval);
        await harness.Controller.TickAsync(default);

        Assert.Equal(RolloutPhase.RolledBack, harness.Rollout.Phase);
        Assert.Equal("rolled back to blue (rollout 1): the rollback hook 'kill-switch' answered 200", harness.Rollout.Events[^1].Message);
        Assert.Equal("blue=100%, canary=0% (stable blue)", harness.Weights());
    }

    [Fact]
    public async Task Post_rollout_hooks_are_called_once_after_an_abort_with_the_outcome_in_the_events()
    {
        var hooks = new ScriptedHooks();
        using var harness = await new RolloutHarness(hooks: hooks).WithRouteAsync();
        await harness.StartAsync(Plan(Hook("cleanup", RolloutWebhookType.PostRollout, metadata: new() { ["ticket"] = "CHG-7" })));
        Assert.Empty(hooks.Calls);

        await harness.Controller.AbortAsync("shop", "ops", default);
        await hooks.Caller!.WhenIdleAsync();
        await harness.Controller.TickAsync(default);
        await harness.Controller.TickAsync(default);

        var call = Assert.Single(hooks.Calls);
        Assert.Equal((RolloutHookCaller.RetriesOf(RolloutWebhookType.PostRollout), "post-rollout"), (call.Retries, call.Event));
        using var payload = JsonDocument.Parse(call.Body);
        Assert.Equal(("Aborted", "CHG-7"), (payload.RootElement.GetProperty("phase").GetString(), payload.RootElement.GetProperty("metadata").GetProperty("ticket").GetString()));
        Assert.Equal((RolloutPhase.Aborted, "the post-rollout hook 'cleanup' answered 200"), (harness.Rollout.Phase, harness.Rollout.Events[^1].Message));
    }

    [Fact]
    public async Task The_payload_names_the_hook_and_carries_the_rollout_its_latest_verdict_and_the_metadata()
    {
        var hooks = new ScriptedHooks { Answer = r => r.Event == "confirm-promotion" ? ScriptedHooks.Status(423) : ScriptedHooks.Status(200) };
        using var harness = await new RolloutHarness(hooks: hooks).WithRouteAsync();
        await harness.StartAsync(Plan([new(2000, TimeSpan.Zero)], Hook("release", RolloutWebhookType.ConfirmPromotion, metadata: new() { ["team"] = "checkout" })));

        await harness.RunIntervalAsync();

        using var payload = JsonDocument.Parse(Assert.Single(hooks.Calls).Body);
        var root = payload.RootElement;
        Assert.Equal(
            ("release", "confirm-promotion", "shop", 1L, "Progressing", 0, 1, "canary", "blue"),
            (root.GetProperty("hook").GetString(), root.GetProperty("type").GetString(), root.GetProperty("route").GetString(), root.GetProperty("rolloutId").GetInt64(),
                root.GetProperty("phase").GetString(), root.GetProperty("step").GetInt32(), root.GetProperty("stepCount").GetInt32(),
                root.GetProperty("candidate").GetString(), root.GetProperty("stable").GetString()));
        Assert.Equal((80m, 20m), (root.GetProperty("weights").GetProperty("blue").GetDecimal(), root.GetProperty("weights").GetProperty("canary").GetDecimal()));
        Assert.Equal(("pass", 100), (root.GetProperty("verdict").GetProperty("verdict").GetString(), root.GetProperty("verdict").GetProperty("candidate").GetProperty("requests").GetInt32()));
        Assert.Equal("checkout", root.GetProperty("metadata").GetProperty("team").GetString());
    }

    [Fact]
    public async Task A_rollout_waiting_at_a_gate_goes_on_waiting_after_a_restart_and_takes_the_approval()
    {
        var repository = new InMemoryStateRepository();
        using var before = await new RolloutHarness(repository, hooks: new ScriptedHooks()).WithRouteAsync();
        await before.StartAsync(Plan(Hook("go", RolloutWebhookType.ConfirmRollout, manual: true)));
        Assert.Equal((RolloutPhase.Waiting, "go"), (before.Rollout.Phase, before.Rollout.Gate!.Hook));

        before.Time.Advance(TimeSpan.FromMinutes(3));
        using var after = await new RolloutHarness(repository, before.Time, hooks: new ScriptedHooks()).WithRouteAsync();
        await after.Controller.TickAsync(default);
        Assert.Equal((RolloutPhase.Waiting, "go"), (after.Rollout.Phase, after.Rollout.Gate!.Hook));
        Assert.Equal("blue=100%, canary=0% (stable blue)", after.Weights());

        var approved = await after.Controller.ApproveAsync("shop", "ops", null, default);

        Assert.Equal((RolloutCommandOutcome.Done, RolloutPhase.Progressing, 0), (approved.Outcome, approved.State!.Phase, approved.State.Step));
        Assert.Equal("blue=90%, canary=10% (stable blue)", after.Weights());
    }
}
