using Proxy.Traffic.Experiments;
using Proxy.Traffic.Experiments.Counting;

namespace Proxy.Traffic.Tests.Experiments;

/// <summary>The report's outcome from given counts, at the edges where a rate is 0 or 1.</summary>
public class ExperimentAnalysisTests
{
    private static readonly ExperimentDefinition Checkout = new(
        "shop",
        "checkout",
        ["shop-blue", "shop-green"],
        null,
        [ExperimentGoal.From(new GoalOptions { Name = "order", Method = "POST", Path = "/api/orders" })],
        0,
        ExperimentSettings.Default,
        new ExperimentUserKey(null, null, "proxy-affinity"),
        "fingerprint");

    [Fact]
    public void An_arm_converting_every_user_against_one_converting_none_wins()
    {
        var report = Analyze(exposed: [193, 193], converted: [0, 193]);

        // Every rate is 0 or 1, so the plain variance estimate is 0; the test must still see the evidence.
        Assert.Equal(ExperimentAnalysis.Winner, report.Outcome.Verdict);
        Assert.Equal("shop-green", report.Outcome.Winner);
        var comparison = Assert.Single(report.Comparisons);
        Assert.True(comparison.PValue < 1e-6, $"p = {comparison.PValue}");
        Assert.InRange(comparison.AbsoluteInterval[0], 0.5, 1);
    }

    [Fact]
    public void Two_arms_converting_no_one_show_no_difference()
    {
        var report = Analyze(exposed: [500, 500], converted: [0, 0]);

        Assert.Equal(ExperimentAnalysis.NoDifferenceYet, report.Outcome.Verdict);
        Assert.Equal(1, Assert.Single(report.Comparisons).PValue);
    }

    [Fact]
    public void Two_arms_converting_everyone_show_no_difference()
    {
        var report = Analyze(exposed: [500, 500], converted: [500, 500]);

        Assert.Equal(ExperimentAnalysis.NoDifferenceYet, report.Outcome.Verdict);
    }

    private static ExperimentReport Analyze(long[] exposed, long[] converted) =>
        ExperimentAnalysis.Analyze(
            new RunningExperiment(Checkout, new ExactExperimentCounter(2, 1, 1_000), DateTimeOffset.UnixEpoch, null),
            new ExperimentCounts(exposed, [converted], "exact", 0, false),
            [5000, 5000],
            [null, null]);
}
