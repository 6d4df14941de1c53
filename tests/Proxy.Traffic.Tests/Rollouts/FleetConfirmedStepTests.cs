using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Rollouts.Fleet;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Tests.Rollouts;

public class FleetConfirmedStepTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static RolloutPlan Plan() => RolloutHarness.Canary(
        RolloutHarness.Analysis() with { FleetTimeout = Timeout }, new RolloutStep(1000, TimeSpan.FromSeconds(20)), new RolloutStep(10000, null));

    [Fact]
    public async Task A_steps_analysis_and_clock_start_only_once_every_live_instance_reports_its_revision()
    {
        var fleet = new ScriptedFleet();
        using var harness = await new RolloutHarness(fleet: fleet).WithRouteAsync();
        fleet.Own = harness;
        fleet.Report("gw-b", 1);
        await harness.StartAsync(Plan());

        await harness.RunIntervalAsync(); // a full window of traffic, while gw-b is still at revision 1
        Assert.Empty(harness.Rollout.Verdicts);
        var waiting = harness.Rollout.FleetConfirmation!;
        Assert.Equal((2L, harness.Rollout.StepStartedAt, 1, 2), (waiting.Revision, waiting.Since, waiting.Confirmed, waiting.Live));
        Assert.Equal([new LaggingInstance("gw-b", 1, false)], waiting.Missing);
        Assert.Equal("step 1: waiting for 1/2 instances at revision 2: gw-b at revision 1", harness.Rollout.Events[^1].Message);
        Assert.Equal(waiting.Describe(), StateJson.ReadRollout(StateJson.Write(harness.Rollout)).FleetConfirmation?.Describe()); // survives a change of leader

        fleet.Report("gw-b", 2);
        await harness.Controller.TickAsync(default);
        var confirmedAt = harness.Time.GetUtcNow();
        Assert.Null(harness.Rollout.FleetConfirmation);
        Assert.Equal((confirmedAt, confirmedAt + RolloutHarness.Interval), (harness.Rollout.StepStartedAt, harness.Rollout.NextAnalysisAt));
        Assert.Equal("step 1 in force on all 2 instances (revision 2) after 10.0 s: its analysis window starts", harness.Rollout.Events[^1].Message);

        await harness.RunIntervalAsync();
        Assert.Equal((1, 0), (harness.Rollout.Verdicts.Count, harness.Rollout.Step)); // passed, 10 of the step's 20 s since the confirmation
        await harness.RunIntervalAsync();
        Assert.Equal((1, 3L), (harness.Rollout.Step, harness.Rollout.FleetConfirmation?.Revision)); // the next step waits in turn
    }

    [Fact]
    public async Task A_step_the_fleet_has_not_confirmed_by_the_timeout_pauses_naming_the_instance_and_a_resume_waits_again()
    {
        var fleet = new ScriptedFleet();
        using var harness = await new RolloutHarness(fleet: fleet).WithRouteAsync();
        fleet.Own = harness;
        fleet.Report("gw-b", 1, stale: true);
        fleet.Report("gw-c", 2);
        await harness.StartAsync(Plan());

        harness.Time.Advance(Timeout - TimeSpan.FromMilliseconds(100));
        await harness.Controller.TickAsync(default);
        Assert.Equal(RolloutPhase.Progressing, harness.Rollout.Phase);
        harness.Time.Advance(TimeSpan.FromMilliseconds(100));
        await harness.Controller.TickAsync(default);

        Assert.Equal(RolloutPhase.Paused, harness.Rollout.Phase);
        Assert.StartsWith(
            "paused: step 1 is not in force on every instance after 00:00:30, waiting for 2/3 instances at revision 2: gw-b at revision 1 (stale)",
            harness.Rollout.Events[^1].Message,
            StringComparison.Ordinal);
        Assert.Empty(harness.Rollout.Verdicts);

        await harness.Controller.ResumeAsync("shop", "ops", default);
        harness.Time.Advance(Timeout - TimeSpan.FromMilliseconds(100));
        await harness.Controller.TickAsync(default);
        Assert.Equal(RolloutPhase.Progressing, harness.Rollout.Phase); // a fresh timeout from the resume
        harness.Time.Advance(TimeSpan.FromMilliseconds(100));
        await harness.Controller.TickAsync(default);
        Assert.Equal(RolloutPhase.Paused, harness.Rollout.Phase);
    }

    [Fact]
    public async Task A_step_confirmed_while_paused_starts_its_window_and_clock_once_resumed()
    {
        var fleet = new ScriptedFleet();
        using var harness = await new RolloutHarness(fleet: fleet).WithRouteAsync();
        fleet.Own = harness;
        fleet.Report("gw-b", 1);
        await harness.StartAsync(Plan());
        harness.Time.Advance(Timeout);
        await harness.Controller.TickAsync(default);
        Assert.Equal(RolloutPhase.Paused, harness.Rollout.Phase);

        fleet.Forget("gw-b"); // its report expired: it is no longer live
        await harness.Controller.TickAsync(default);
        Assert.Equal((RolloutPhase.Paused, null), (harness.Rollout.Phase, harness.Rollout.FleetConfirmation));
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        await harness.Controller.ResumeAsync("shop", "ops", default);

        await harness.RunIntervalAsync();
        Assert.Equal((1, 0), (harness.Rollout.Verdicts.Count, harness.Rollout.Step));
        await harness.RunIntervalAsync();
        Assert.Equal(1, harness.Rollout.Step); // 20 s after the resume, not counting the pause
    }

    [Fact]
    public async Task Unreadable_reports_hold_the_step_without_a_verdict()
    {
        var fleet = new ScriptedFleet();
        using var harness = await new RolloutHarness(fleet: fleet).WithRouteAsync();
        fleet.Own = harness;
        fleet.Unavailable = true;
        await harness.StartAsync(Plan());

        await harness.RunIntervalAsync();
        await harness.RunIntervalAsync();

        Assert.Equal((RolloutPhase.Progressing, 0), (harness.Rollout.Phase, harness.Rollout.Verdicts.Count));
        Assert.Equal("waiting for the fleet's reports of revision 2", harness.Rollout.FleetConfirmation!.Describe());
    }

    /// <summary>The fleet's reports as a test sets them; this instance ("gw-a") reports what the harness's split store has in force.</summary>
    private sealed class ScriptedFleet : IFleetRevisions
    {
        private readonly Dictionary<string, InstanceRevision> _others = [];

        public RolloutHarness? Own { get; set; }

        public bool Unavailable { get; set; }

        public bool IsShared => true;

        public void Report(string instance, long revision, bool stale = false) => _others[instance] = new InstanceRevision(instance, revision, stale);

        public void Forget(string instance) => _others.Remove(instance);

        public Task<IReadOnlyList<InstanceRevision>> ReadAsync(string routeId, CancellationToken cancellationToken)
        {
            if (Unavailable)
            {
                throw new StateUnavailableException("Redis cannot be reached (test)");
            }

            var own = Own!.Store.TryGetSnapshot(routeId, out var split) ? split.Revision : 0;
            return Task.FromResult<IReadOnlyList<InstanceRevision>>([new InstanceRevision("gw-a", own, false), .. _others.Values]);
        }
    }
}
