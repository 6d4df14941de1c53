namespace Proxy.Traffic.Experiments.Statistics;

/// <summary>The chi-square distribution's upper tail.</summary>
public static class ChiSquareDistribution
{
    /// <summary>P(X &gt; x) for X ~ χ² with <paramref name="degreesOfFreedom"/> degrees of freedom.</summary>
    public static double UpperTail(double x, int degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(degreesOfFreedom);
        return x <= 0 ? 1 : RegularizedGamma.UpperQ(degreesOfFreedom / 2.0, x / 2);
    }
}
