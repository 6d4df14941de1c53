using Proxy.Traffic.Rollouts.Metrics;
using Proxy.Traffic.Telemetry;

namespace Proxy.Traffic.Rollouts.Analysis;

/// <summary>
/// Judges whether a candidate's latency is worse than stable's beyond a tolerated factor with a one-sided
/// Mann-Whitney U test on the two windows' histograms (as Kayenta's judge uses it): stable's latencies are scaled by
/// the factor (a shift of whole log-scale buckets), then the candidate is <see cref="VerdictOutcome.Fail"/> when it is
/// significantly slower than that, <see cref="VerdictOutcome.Pass"/> when it is significantly faster than that, and
/// <see cref="VerdictOutcome.Inconclusive"/> otherwise, so noise alone neither passes nor fails.
/// </summary>
public static class LatencyComparison
{
    /// <summary>Below this many samples on either side the normal approximation of U is not trusted.</summary>
    public const int MinimumSamples = 8;

    /// <summary>Compares the candidate's latency histogram with stable's scaled by <paramref name="factor"/>.</summary>
    /// <param name="candidate">Requests per <see cref="LatencyHistogram"/> bucket, candidate.</param>
    /// <param name="stable">Requests per bucket, stable.</param>
    /// <param name="factor">How much slower than stable the candidate may be (≥ 1).</param>
    /// <param name="significance">The test's level, e.g. 0.01.</param>
    public static LatencyJudgement Compare(IReadOnlyList<long> candidate, IReadOnlyList<long> stable, double factor, double significance)
    {
        var shift = (int)Math.Round(Math.Log2(Math.Max(factor, 1)) * LatencyHistogram.PerOctave);
        var scaled = new long[LatencyHistogram.BucketCount];
        for (var i = 0; i < stable.Count; i++)
        {
            scaled[Math.Min(i + shift, scaled.Length - 1)] += stable[i];
        }

        var n1 = Sum(candidate);
        var n2 = Sum(scaled);
        if (n1 < MinimumSamples || n2 < MinimumSamples)
        {
            return new LatencyJudgement(VerdictOutcome.Inconclusive, 1, 1);
        }

        // U of the candidate: pairs where it is slower, ties counting half. Ties within a bucket widen nothing but the variance.
        double u = 0;
        double tieTerm = 0;
        long below = 0;
        for (var i = 0; i < scaled.Length; i++)
        {
            var c = i < candidate.Count ? candidate[i] : 0;
            u += c * (below + (scaled[i] / 2.0));
            double tied = c + scaled[i];
            tieTerm += (tied * tied * tied) - tied;
            below += scaled[i];
        }

        double n = n1 + n2;
        var mean = n1 * (double)n2 / 2;
        var variance = n1 * (double)n2 / 12 * ((n + 1) - (tieTerm / (n * (n - 1))));
        if (variance <= 0)
        {
            return new LatencyJudgement(VerdictOutcome.Inconclusive, 1, 1);
        }

        var sd = Math.Sqrt(variance);
        var pSlower = 1 - NormalCdf((u - mean - 0.5) / sd);
        var pFaster = NormalCdf((u - mean + 0.5) / sd);
        var outcome = pSlower < significance ? VerdictOutcome.Fail
            : pFaster < significance ? VerdictOutcome.Pass
            : VerdictOutcome.Inconclusive;
        return new LatencyJudgement(outcome, pSlower, pFaster);
    }

    private static long Sum(IReadOnlyList<long> counts)
    {
        var total = 0L;
        foreach (var count in counts)
        {
            total += count;
        }

        return total;
    }

    // Abramowitz & Stegun 7.1.26: |error| < 1.5e-7, plenty for a significance level.
    private static double NormalCdf(double z)
    {
        var x = Math.Abs(z) / Math.Sqrt(2);
        var t = 1 / (1 + (0.3275911 * x));
        var polynomial = ((((((((1.061405429 * t) - 1.453152027) * t) + 1.421413741) * t) - 0.284496736) * t) + 0.254829592) * t;
        var erf = 1 - (polynomial * Math.Exp(-x * x));
        return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
    }
}

/// <summary>The latency comparison's answer and its one-sided p-values.</summary>
/// <param name="Outcome">Fail (slower beyond the factor), pass (clearly within it) or inconclusive.</param>
/// <param name="PSlower">p-value of "the candidate is slower than stable × factor".</param>
/// <param name="PFaster">p-value of "the candidate is faster than stable × factor".</param>
public readonly record struct LatencyJudgement(VerdictOutcome Outcome, double PSlower, double PFaster);
