using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Rollouts.Analysis;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Tests.Rollouts;

public class DryRunTests
{
    private static RolloutPlan DryRun(int failureLimit = 1, InconclusiveAction onInconclusive = InconclusiveAction.Rollback) => RolloutHarness.Canary(
        RolloutHarness.Analysis(failureLimit: failureLimit, onInconclusive: onInconclusive) with { DryRun = true },
        new RolloutStep(2000, TimeSpan.FromSeconds(10)),
        new RolloutStep(10000, null));

    // A dry run judges the traffic the candidate has: here 10%, set by hand before it starts.
    private static async Task<RolloutHarness> WithCanaryAtTenPercentAsync()
    {
        var harness = await new RolloutHarness().WithRouteAsync();
        await harness.SetWeightsAsync(1000);
        return harness;
    }

    [Fact]
    public async Task A_dry_run_records_would_roll_back_on_failing_verdicts_and_never_writes_the_split()
    {
        using var harness = await WithCanaryAtTenPercentAsync();
        var revision = harness.Store.TryGetSnapshot("shop", out var split) ? split.Revision : 0;
        await harness.StartAsync(DryRun(failureLimit: 2));
        Assert.Contains("would put canary at 20%; the split stays as it is (canary at 10%)", harness.Rollout.Events[^1].Message, StringComparison.Ordinal);

        for (var i = 0; i < 4; i++)
        {
            await harness.RunIntervalAsync(canaryErrorRate: 0.2);
        }

        Assert.Equal((RolloutPhase.Progressing, 0, 0), (harness.Rollout.Phase, harness.Rollout.Step, harness.Rollout.ConsecutiveFailures));
        Assert.Equal(4, harness.Rollout.Verdicts.Count(v => v.Outcome == VerdictOutcome.Fail));
        var wouldRollBack = harness.Rollout.Events.Where(e => e.Message.StartsWith("dry run: would roll back: 2 failed analysis in a row, latest fail", StringComparison.Ordinal));
        Assert.Equal(2, wouldRollBack.Count()); // once per failureLimit failures in a row
        Assert.Equal("blue=90%, canary=10% (stable blue)", harness.Weights());
        Assert.True(harness.Store.TryGetSnapshot("shop", out split) && split.Revision == revision, "the dry run wrote the split");
    }

    [Fact]
    public async Task A_passing_dry_run_walks_its_steps_in_name_only_records_would_promote_once_and_holds_until_aborted()
    {
        using var harness = await WithCanaryAtTenPercentAsync();
        await harness.StartAsync(DryRun());

        await harness.RunIntervalAsync();
        Assert.Equal(1, harness.Rollout.Step);
        Assert.Contains("dry run, step 2 of 2: would put canary at 100%", harness.Rollout.Events[^1].Message, StringComparison.Ordinal);
        for (var i = 0; i < 3; i++)
        {
            await harness.RunIntervalAsync();
        }

        Assert.Equal((RolloutPhase.Progressing, true), (harness.Rollout.Phase, harness.Rollout.WouldHavePromoted));
        Assert.Single(harness.Rollout.Events, e => e.Message.StartsWith("dry run: would promote canary: step 2 of 2 passed", StringComparison.Ordinal));
        Assert.Equal(4, harness.Rollout.Verdicts.Count); // judging on after "would promote"
        var promote = await harness.Controller.PromoteAsync("shop", "ops", default);
        Assert.Equal(RolloutCommandOutcome.Conflict, promote.Outcome);

        var aborted = await harness.Controller.AbortAsync("shop", "ops", default);

        Assert.Equal(RolloutPhase.Aborted, aborted.State!.Phase);
        Assert.Equal("dry run ended by ops; the split was never changed by it", aborted.State.Events[^1].Message);
        Assert.Equal("blue=90%, canary=10% (stable blue)", harness.Weights());
        Assert.DoesNotContain(await harness.Store.GetHistoryAsync("shop", 10, default), h => h.Source == SplitChangeSource.Rollout);
    }

    [Fact]
    public async Task A_dry_run_records_would_pause_for_inconclusive_analyses_and_goes_on()
    {
        using var harness = await WithCanaryAtTenPercentAsync();
        await harness.StartAsync(DryRun(onInconclusive: InconclusiveAction.Pause));

        for (var i = 0; i < 3; i++)
        {
            await harness.RunIntervalAsync(requests: 5);
        }

        Assert.Equal(RolloutPhase.Progressing, harness.Rollout.Phase);
        Assert.StartsWith("dry run: would pause: analysis inconclusive for 00:00:30", harness.Rollout.Events[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_follows_weights_set_by_an_operator_and_ends_when_its_stable_cluster_loses_the_role()
    {
        using var harness = await WithCanaryAtTenPercentAsync();
        await harness.StartAsync(DryRun());

        await harness.SetWeightsAsync(3000, reason: "more");
        await harness.Controller.TickAsync(default);
        Assert.Equal(RolloutPhase.Progressing, harness.Rollout.Phase);
        Assert.Contains("dry run follows revision 3: set-weights by ops (api), \"more\": canary now at 30%", harness.Rollout.Events[^1].Message, StringComparison.Ordinal);

        await harness.SetWeightsAsync(10000, stable: "canary");
        await harness.Controller.TickAsync(default);

        Assert.Equal(RolloutPhase.Aborted, harness.Rollout.Phase);
        Assert.StartsWith("dry run ended by a change of the split: revision 4", harness.Rollout.Events[^1].Message, StringComparison.Ordinal);
    }
}
