using Proxy.Traffic.Experiments.Statistics;

namespace Proxy.Traffic.Tests.Experiments;

/// <summary>
/// A/A experiments looked at after every 100 users per arm, as an operator refreshing the report would: the mSPRT's
/// false-positive rate stays at most α, where the fixed-horizon z-test's grows far beyond it (the reason for a sequential test).
/// </summary>
public class PeekingSimulationTests
{
    private const int Experiments = 2_000;
    private const int UsersPerArm = 10_000;
    private const int PeekEvery = 100;
    private const double Rate = 0.1;
    private const double Alpha = 0.05;

    [Fact]
    public void Sequential_test_keeps_false_positives_below_alpha_under_continuous_peeking()
    {
        var (sequential, naive) = Simulate(new Random(20261201));
        Console.WriteLine($"A/A peeking: mSPRT {sequential:P2}, fixed-horizon z-test {naive:P2}");

        Assert.True(sequential <= Alpha, $"mSPRT false-positive rate {sequential:P2} over {Experiments} A/A experiments");

        // The same data with a fixed-horizon test at every peek: what the sequential test protects against.
        Assert.True(naive > 2 * Alpha, $"fixed-horizon z-test false-positive rate {naive:P2}");
    }

    private static (double Sequential, double Naive) Simulate(Random random)
    {
        var sequentialRejections = 0;
        var naiveRejections = 0;
        var z = NormalDistribution.Quantile(1 - Alpha / 2);
        for (var experiment = 0; experiment < Experiments; experiment++)
        {
            long a = 0, b = 0;
            bool sequential = false, naive = false;
            for (var n = PeekEvery; n <= UsersPerArm; n += PeekEvery)
            {
                for (var i = 0; i < PeekEvery; i++)
                {
                    a += random.NextDouble() < Rate ? 1 : 0;
                    b += random.NextDouble() < Rate ? 1 : 0;
                }

                var comparison = ProportionComparison.Of(a, n, b, n);
                sequential |= MixtureSequentialTest.PValue(comparison.AbsoluteLift, comparison.AdjustedVariance, MixtureSequentialTest.DefaultMixingStandardDeviation) < Alpha;
                naive |= comparison.Variance > 0 && Math.Abs(comparison.AbsoluteLift) / Math.Sqrt(comparison.Variance) > z;
            }

            sequentialRejections += sequential ? 1 : 0;
            naiveRejections += naive ? 1 : 0;
        }

        return ((double)sequentialRejections / Experiments, (double)naiveRejections / Experiments);
    }
}
