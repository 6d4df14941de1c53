using Proxy.Traffic.Rollouts.Analysis;
using Proxy.Traffic.Rollouts.Metrics;
using Proxy.Traffic.Telemetry;

namespace Proxy.Traffic.Tests.Rollouts;

public class LatencyComparisonTests
{
    // Latencies drawn around a median with a long right tail, as a service's are; seeded so a failure reproduces.
    private static long[] Histogram(int requests, double medianMs, int seed)
    {
        var random = new Random(seed);
        var counts = new long[LatencyHistogram.BucketCount];
        for (var i = 0; i < requests; i++)
        {
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            counts[LatencyHistogram.BucketOfMilliseconds(medianMs * Math.Exp(0.4 * normal))]++;
        }

        return counts;
    }

    [Fact]
    public void A_clearly_slower_candidate_is_rejected()
    {
        var judgement = LatencyComparison.Compare(Histogram(300, 30, 1), Histogram(300, 10, 2), factor: 1.5, AnalysisSettings.Significance);

        Assert.Equal(VerdictOutcome.Fail, judgement.Outcome);
        Assert.True(judgement.PSlower < 0.001, $"p = {judgement.PSlower}");
    }

    [Fact]
    public void An_equal_candidate_is_accepted()
    {
        for (var seed = 0; seed < 20; seed++)
        {
            var judgement = LatencyComparison.Compare(Histogram(300, 10, seed), Histogram(300, 10, seed + 100), factor: 1.5, AnalysisSettings.Significance);

            Assert.Equal(VerdictOutcome.Pass, judgement.Outcome);
        }
    }

    [Fact]
    public void Tiny_samples_are_inconclusive_even_when_the_candidate_looks_slower()
    {
        var judgement = LatencyComparison.Compare(Histogram(5, 30, 1), Histogram(5, 10, 2), factor: 1.5, AnalysisSettings.Significance);

        Assert.Equal(VerdictOutcome.Inconclusive, judgement.Outcome);
    }

    [Fact]
    public void A_small_sample_within_noise_neither_passes_nor_fails()
    {
        var judgement = LatencyComparison.Compare(Histogram(12, 14, 3), Histogram(12, 10, 4), factor: 1.5, AnalysisSettings.Significance);

        Assert.Equal(VerdictOutcome.Inconclusive, judgement.Outcome);
    }
}
