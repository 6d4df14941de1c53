namespace Proxy.Traffic.Experiments.Statistics;

/// <summary>
/// The mixture sequential probability ratio test (mSPRT) of Johari, Koomen, Pekelis and Walsh, "Peeking at A/B Tests"
/// (KDD 2017) and "Always Valid Inference" (Operations Research 70(3), 2022), for the difference of two arms' rates with a
/// normal mixing distribution N(0, τ²). Its p-value and confidence interval stay valid however often, and whenever, the
/// result is looked at: the chance that a true null is ever rejected is at most α.
/// </summary>
/// <remarks>
/// With θ̂ the observed difference and V its variance, the mixture likelihood ratio against θ₀ is
/// Λ = √(V / (V + τ²)) · exp(τ² (θ̂ − θ₀)² / (2 V (V + τ²))); the always-valid p-value is min(1, 1/Λ) and the always-valid
/// (1 − α) interval is every θ₀ with Λ &lt; 1/α: θ̂ ± √(V (V + τ²) / τ² · (2 ln(1/α) + ln((V + τ²) / V))).
/// </remarks>
public static class MixtureSequentialTest
{
    /// <summary>The default mixing standard deviation τ on the scale of the absolute lift (5 percentage points).</summary>
    public const double DefaultMixingStandardDeviation = 0.05;

    /// <summary>The mixture likelihood ratio Λ of H₁ against θ = <paramref name="nullDifference"/>; 1 (no evidence) with no variance.</summary>
    public static double LikelihoodRatio(double difference, double variance, double tau, double nullDifference = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tau);
        if (!(variance > 0))
        {
            return 1;
        }

        var tau2 = tau * tau;
        var gap = difference - nullDifference;
        var exponent = tau2 * gap * gap / (2 * variance * (variance + tau2));
        return Math.Sqrt(variance / (variance + tau2)) * Math.Exp(Math.Min(exponent, 700));
    }

    /// <summary>The always-valid p-value min(1, 1/Λ) of "no difference".</summary>
    public static double PValue(double difference, double variance, double tau) =>
        Math.Min(1, 1 / LikelihoodRatio(difference, variance, tau));

    /// <summary>Half the width of the always-valid (1 − α) confidence interval around the observed difference; infinite with no variance.</summary>
    public static double HalfWidth(double variance, double tau, double alpha)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tau);
        if (alpha is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be strictly between 0 and 1.");
        }

        if (!(variance > 0))
        {
            return double.PositiveInfinity;
        }

        var tau2 = tau * tau;
        return Math.Sqrt(variance * (variance + tau2) / tau2 * (2 * Math.Log(1 / alpha) + Math.Log((variance + tau2) / variance)));
    }
}
