using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Rollouts.Analysis;
using Proxy.Traffic.Rollouts.Analysis.Prometheus;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Tests.Rollouts.Prometheus;

public class MetricCheckStorageTests
{
    private static readonly MetricCheck Errors = new("checkout-errors", new PrometheusQuery("http://127.0.0.1:9090", "sum(x)"), Max: 0.01, Min: null);

    private static RolloutState Rollout(RolloutPlan plan, params AnalysisVerdict[] verdicts)
    {
        var at = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        return new RolloutState("shop", 1, plan, "blue", "ci", RolloutPhase.Progressing, 0, 2, at, at, at, null, false, false, 0, null, verdicts, [], at);
    }

    [Fact]
    public void A_rollout_s_checks_and_their_figures_are_stored_and_read_back_even_an_infinite_value()
    {
        var plan = RolloutHarness.Canary(RolloutHarness.Analysis() with { Metrics = [Errors] });
        var verdict = new AnalysisVerdict(
            DateTimeOffset.UnixEpoch, 0, VerdictOutcome.Fail, new ClusterFigures("canary", 100, 0, 5), new ClusterFigures("blue", 100, 0, 5), null, "s",
            Metrics: [MetricCheckFigures.Of(Errors, double.PositiveInfinity), MetricCheckFigures.Inconclusive(Errors, "the query returned no series")]);

        var read = StateJson.ReadRollout(StateJson.Write(Rollout(plan, verdict)));

        Assert.Equal([Errors], read.Plan.Analysis.Metrics!);
        Assert.Equal(verdict.Metrics, read.Verdicts.Single().Metrics!);
    }

    [Fact]
    public void A_plan_and_verdict_without_checks_are_stored_as_before()
    {
        var json = StateJson.Write(Rollout(RolloutHarness.Canary(), new AnalysisVerdict(
            DateTimeOffset.UnixEpoch, 0, VerdictOutcome.Pass, new ClusterFigures("canary", 100, 0, 5), new ClusterFigures("blue", 100, 0, 5), null, "every limit met")));

        Assert.DoesNotContain("metrics", json, StringComparison.OrdinalIgnoreCase);
    }
}
