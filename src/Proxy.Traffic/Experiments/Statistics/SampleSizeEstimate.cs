namespace Proxy.Traffic.Experiments.Statistics;

/// <summary>
/// How many users per arm the sequential test needs before a given lift is likely (80 %) to be declared: the smallest n
/// with δ ≥ h(n) + z₀.₈ · √V(n), where h is the always-valid half-width and V(n) = 2 p (1 − p) / n at the control's rate p.
/// </summary>
public static class SampleSizeEstimate
{
    private const double Power = 0.8;
    private const long Limit = 1_000_000_000_000;

    /// <summary>Users per arm, or null when it cannot be estimated (a control rate of 0 or 1, or beyond 10¹² users).</summary>
    public static long? UsersPerArm(double controlRate, double absoluteLift, double tau, double alpha)
    {
        if (controlRate is <= 0 or >= 1 || !(absoluteLift > 0))
        {
            return null;
        }

        var unitVariance = 2 * controlRate * (1 - controlRate);
        var zPower = NormalDistribution.Quantile(Power);
        bool Enough(long n)
        {
            var variance = unitVariance / n;
            return MixtureSequentialTest.HalfWidth(variance, tau, alpha) + zPower * Math.Sqrt(variance) <= absoluteLift;
        }

        long high = 1;
        while (!Enough(high))
        {
            if (high >= Limit)
            {
                return null;
            }

            high *= 2;
        }

        var low = high / 2;
        while (high - low > 1)
        {
            var middle = low + (high - low) / 2;
            if (Enough(middle))
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }

        return high;
    }
}
