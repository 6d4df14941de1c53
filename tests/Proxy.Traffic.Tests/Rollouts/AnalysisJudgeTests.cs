using Proxy.Traffic.Rollouts.Analysis;
using Proxy.Traffic.Rollouts.Metrics;
using Proxy.Traffic.Telemetry;

namespace Proxy.Traffic.Tests.Rollouts;

public class AnalysisJudgeTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static AnalysisSettings Settings(double? maxErrorRate = null, double? maxP99 = null, double? increase = null) =>
        new(TimeSpan.FromSeconds(10), 50, maxErrorRate, maxP99, increase, null, 1, TimeSpan.FromMinutes(1), InconclusiveAction.Rollback);

    private static WindowStats Stats(long requests, long failures, double latencyMs)
    {
        var latency = new long[LatencyHistogram.BucketCount];
        latency[LatencyHistogram.BucketOfMilliseconds(latencyMs)] = requests;
        return new WindowStats(requests, failures, latency);
    }

    private static AnalysisVerdict Judge(AnalysisSettings settings, WindowStats candidate, WindowStats stable) =>
        AnalysisJudge.Judge(settings, At, 0, "canary", candidate, "blue", stable);

    [Fact]
    public void Too_few_candidate_requests_are_inconclusive_whatever_the_errors()
    {
        var verdict = Judge(Settings(maxErrorRate: 0.01), Stats(49, 49, 5), Stats(500, 0, 5));

        Assert.Equal(VerdictOutcome.Inconclusive, verdict.Outcome);
        Assert.Contains("49 requests", verdict.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_candidate_out_of_rotation_by_its_own_failures_fails_however_few_requests_it_served()
    {
        var outage = "breaker open: 20 failures, failure ratio 1 ≥ 0.5 over 10s (last: HTTP 500)";

        var verdict = AnalysisJudge.Judge(Settings(maxErrorRate: 0.01), At, 0, "canary", Stats(20, 20, 5), "blue", Stats(500, 0, 5), candidateOutage: outage);

        Assert.Equal(VerdictOutcome.Fail, verdict.Outcome);
        Assert.Equal($"the candidate is out of rotation: {outage}; candidate served 20 requests, fewer than the 50 needed", verdict.Summary);
        Assert.Equal(VerdictOutcome.Inconclusive, Judge(Settings(maxErrorRate: 0.01), Stats(20, 20, 5), Stats(500, 0, 5)).Outcome);
    }

    [Fact]
    public void Absolute_limits_fail_with_the_figures()
    {
        var verdict = Judge(Settings(maxErrorRate: 0.05, maxP99: 100), Stats(100, 10, 250), Stats(500, 0, 5));

        Assert.Equal(VerdictOutcome.Fail, verdict.Outcome);
        Assert.Contains("error rate 10.0% above the limit 5.0%", verdict.Summary, StringComparison.Ordinal);
        Assert.Contains("above the limit 100 ms", verdict.Summary, StringComparison.Ordinal);
        Assert.Equal((100, 0.1), (verdict.Candidate.Requests, verdict.Candidate.ErrorRate));
    }

    [Fact]
    public void The_relative_error_limit_compares_with_stable_over_the_same_window()
    {
        Assert.Equal(VerdictOutcome.Pass, Judge(Settings(increase: 0.02), Stats(100, 11, 5), Stats(500, 50, 5)).Outcome);
        Assert.Equal(VerdictOutcome.Fail, Judge(Settings(increase: 0.02), Stats(100, 13, 5), Stats(500, 50, 5)).Outcome);
    }

    [Fact]
    public void Relative_limits_are_skipped_when_stable_served_too_little()
    {
        var verdict = Judge(Settings(increase: 0.0), Stats(100, 1, 5), Stats(3, 0, 5));

        Assert.Equal(VerdictOutcome.Pass, verdict.Outcome);
        Assert.Contains("relative limits skipped", verdict.Summary, StringComparison.Ordinal);
    }
}
