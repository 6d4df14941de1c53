using Proxy.Traffic.Rollouts.Analysis;
using Proxy.Traffic.Rollouts.Analysis.Prometheus;

namespace Proxy.Traffic.Tests.Rollouts.Prometheus;

public class MetricCheckVerdictTests
{
    private static readonly MetricCheck Errors = new("checkout-errors", new PrometheusQuery("http://127.0.0.1:9090", "q"), Max: 0.01, Min: null);
    private static readonly MetricCheck Orders = new("orders", new PrometheusQuery("http://127.0.0.1:9090", "q"), Max: null, Min: 10);

    private static AnalysisVerdict Gateway(VerdictOutcome outcome, string summary) =>
        new(DateTimeOffset.UnixEpoch, 0, outcome, new ClusterFigures("canary", 100, 0, 5), new ClusterFigures("blue", 100, 0, 5), null, summary);

    [Fact]
    public void A_value_above_max_fails_a_verdict_the_gateway_s_own_limits_passed_and_says_which_check()
    {
        var verdict = MetricCheckVerdict.Combine(Gateway(VerdictOutcome.Pass, "every limit met"), [MetricCheckFigures.Of(Errors, 0.0342), MetricCheckFigures.Of(Orders, 12)]);

        Assert.Equal(VerdictOutcome.Fail, verdict.Outcome);
        Assert.Equal("checkout-errors = 0.0342 above the limit 0.01; the gateway's own limits met", verdict.Summary);
        Assert.Equal([VerdictOutcome.Fail, VerdictOutcome.Pass], verdict.Metrics!.Select(m => m.Outcome));
        Assert.EndsWith("; checkout-errors = 0.0342 (max 0.01); orders = 12 (min 10)]", verdict.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_below_min_fails()
    {
        var verdict = MetricCheckVerdict.Combine(Gateway(VerdictOutcome.Pass, "every limit met"), [MetricCheckFigures.Of(Orders, 3)]);

        Assert.Equal((VerdictOutcome.Fail, "orders = 3 below the limit 10; the gateway's own limits met"), (verdict.Outcome, verdict.Summary));
    }

    [Fact]
    public void An_infinite_value_is_beyond_any_finite_limit() =>
        Assert.Equal(VerdictOutcome.Fail, MetricCheckFigures.Of(Errors, double.PositiveInfinity).Outcome);

    [Fact]
    public void A_check_without_a_value_keeps_a_passing_verdict_inconclusive_never_passed()
    {
        var verdict = MetricCheckVerdict.Combine(
            Gateway(VerdictOutcome.Pass, "every limit met"), [MetricCheckFigures.Inconclusive(Errors, "the query returned no series"), MetricCheckFigures.Of(Orders, 12)]);

        Assert.Equal(VerdictOutcome.Inconclusive, verdict.Outcome);
        Assert.Equal("checkout-errors inconclusive: the query returned no series; the gateway's own limits met", verdict.Summary);
    }

    [Fact]
    public void NaN_is_inconclusive_not_a_pass()
    {
        var figures = MetricCheckFigures.Of(Errors, double.NaN);

        Assert.Equal((VerdictOutcome.Inconclusive, null), (figures.Outcome, figures.Value));
        Assert.StartsWith("the query's value is NaN", figures.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_check_fails_even_a_window_too_small_for_the_gateway_to_judge()
    {
        var verdict = MetricCheckVerdict.Combine(Gateway(VerdictOutcome.Inconclusive, "candidate served 3 requests, fewer than the 50 needed"), [MetricCheckFigures.Of(Errors, 0.5)]);

        Assert.Equal((VerdictOutcome.Fail, "checkout-errors = 0.5 above the limit 0.01; candidate served 3 requests, fewer than the 50 needed"), (verdict.Outcome, verdict.Summary));
    }

    [Fact]
    public void Passing_checks_leave_the_gateway_s_outcome_and_summary_and_add_their_figures()
    {
        var failed = MetricCheckVerdict.Combine(Gateway(VerdictOutcome.Fail, "error rate 10.0% above the limit 5.0%"), [MetricCheckFigures.Of(Errors, 0)]);
        var passed = MetricCheckVerdict.Combine(Gateway(VerdictOutcome.Pass, "every limit met"), [MetricCheckFigures.Of(Errors, 0.01)]);

        Assert.Equal((VerdictOutcome.Fail, "error rate 10.0% above the limit 5.0%"), (failed.Outcome, failed.Summary));
        Assert.Equal((VerdictOutcome.Pass, "every limit met", 0.01), (passed.Outcome, passed.Summary, passed.Metrics![0].Value));
    }

    [Fact]
    public void Without_checks_the_verdict_is_the_gateway_s_own()
    {
        var verdict = Gateway(VerdictOutcome.Pass, "every limit met");

        Assert.Same(verdict, MetricCheckVerdict.Combine(verdict, []));
        Assert.Null(verdict.Metrics);
    }
}
