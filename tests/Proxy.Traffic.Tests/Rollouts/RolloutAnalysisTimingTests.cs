using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Rollouts.Analysis;

namespace Proxy.Traffic.Tests.Rollouts;

/// <summary>
/// When, by the controller's clock, analysis rolls a failing canary back: the exact timing that the end-to-end canary test
/// (real time, random faults) can only bound loosely.
/// </summary>
public class RolloutAnalysisTimingTests
{
    private static readonly TimeSpan Interval = RolloutHarness.Interval;
    private static readonly TimeSpan Moment = TimeSpan.FromMilliseconds(1);

    [Fact]
    public async Task A_failing_canary_is_rolled_back_by_the_tick_that_ends_its_first_analysis_window_and_not_before()
    {
        using var harness = await new RolloutHarness().WithRouteAsync();
        var started = harness.Time.GetUtcNow();
        await harness.StartAsync();

        Serve(harness, until: started + Interval - Moment);
        await harness.Controller.TickAsync(default);
        Assert.Equal((RolloutPhase.Progressing, 0), (harness.Rollout.Phase, harness.Rollout.Verdicts.Count));

        harness.Time.Advance(Moment);
        await harness.Controller.TickAsync(default);
        Assert.Equal(RolloutPhase.RolledBack, harness.Rollout.Phase);
        Assert.Equal(started + Interval, harness.Rollout.Events[^1].At);
        Assert.Equal("blue=100%, canary=0% (stable blue)", harness.Weights());
    }

    [Fact]
    public async Task A_first_window_too_small_to_judge_puts_the_rollback_at_the_end_of_the_second()
    {
        using var harness = await new RolloutHarness().WithRouteAsync();
        var started = harness.Time.GetUtcNow();
        await harness.StartAsync();

        await harness.RunIntervalAsync(requests: 5, canaryErrorRate: 0.2); // fewer than minRequests: inconclusive
        Assert.Equal((RolloutPhase.Progressing, VerdictOutcome.Inconclusive), (harness.Rollout.Phase, harness.Rollout.Verdicts[^1].Outcome));

        Serve(harness, until: started + (2 * Interval) - Moment);
        await harness.Controller.TickAsync(default);
        Assert.Equal(RolloutPhase.Progressing, harness.Rollout.Phase);

        harness.Time.Advance(Moment);
        await harness.Controller.TickAsync(default);
        Assert.Equal(RolloutPhase.RolledBack, harness.Rollout.Phase);
        Assert.Equal(started + (2 * Interval), harness.Rollout.Events[^1].At);
    }

    /// <summary>Records 100 canary answers, one in five failed, and as many stable ones, spread until <paramref name="until"/>.</summary>
    private static void Serve(RolloutHarness harness, DateTimeOffset until)
    {
        const int Requests = 100;
        var step = (until - harness.Time.GetUtcNow()) / (Requests + 1);
        for (var i = 0; i < Requests; i++)
        {
            harness.Time.Advance(step);
            harness.Windows.Record("canary", i % 5 == 0 ? 500 : 200, harness.Time.GetTimestamp());
            harness.Windows.Record("blue", 200, harness.Time.GetTimestamp());
        }

        harness.Time.Advance(until - harness.Time.GetUtcNow());
    }
}
