namespace Proxy.Traffic.Experiments.Statistics;

/// <summary>
/// The sample-ratio-mismatch check: Pearson's chi-square of the exposures per arm against the allocation (Fabijan et al.,
/// "Diagnosing Sample Ratio Mismatch in Online Controlled Experiments", KDD 2019). A p-value below
/// <see cref="Threshold"/> means the assignment is broken and no lift should be trusted.
/// </summary>
public static class SampleRatioCheck
{
    /// <summary>The p-value below which a mismatch is declared (the conservative threshold Fabijan et al. use).</summary>
    public const double Threshold = 0.0005;

    /// <summary>The chi-square statistic and its p-value (k − 1 degrees of freedom) for exposures against allocation shares.</summary>
    public static SampleRatioResult Test(ReadOnlySpan<long> exposures, ReadOnlySpan<double> allocation)
    {
        if (exposures.Length != allocation.Length || exposures.Length < 2)
        {
            throw new ArgumentException("One allocation share per arm, and at least two arms, are required.", nameof(allocation));
        }

        double total = 0, shares = 0;
        for (var i = 0; i < exposures.Length; i++)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(exposures[i]);
            ArgumentOutOfRangeException.ThrowIfNegative(allocation[i]);
            total += exposures[i];
            shares += allocation[i];
        }

        if (total == 0 || shares == 0)
        {
            return new SampleRatioResult(0, 1, false);
        }

        var chiSquare = 0.0;
        var degrees = -1;
        for (var i = 0; i < exposures.Length; i++)
        {
            var expected = total * allocation[i] / shares;
            if (expected == 0)
            {
                // An arm allocated nothing that was exposed anyway is a mismatch by itself.
                if (exposures[i] > 0)
                {
                    return new SampleRatioResult(double.PositiveInfinity, 0, true);
                }

                continue;
            }

            var difference = exposures[i] - expected;
            chiSquare += difference * difference / expected;
            degrees++;
        }

        var pValue = degrees < 1 ? 1 : ChiSquareDistribution.UpperTail(chiSquare, degrees);
        return new SampleRatioResult(chiSquare, pValue, pValue < Threshold);
    }
}

/// <summary>The outcome of a sample-ratio-mismatch check.</summary>
/// <param name="ChiSquare">Pearson's statistic.</param>
/// <param name="PValue">Its p-value.</param>
/// <param name="Detected">True when the p-value is below <see cref="SampleRatioCheck.Threshold"/>.</param>
public sealed record SampleRatioResult(double ChiSquare, double PValue, bool Detected);
