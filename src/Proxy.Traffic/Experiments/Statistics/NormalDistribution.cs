namespace Proxy.Traffic.Experiments.Statistics;

/// <summary>The standard normal distribution: its tail and its quantile.</summary>
public static class NormalDistribution
{
    /// <summary>P(Z ≤ z).</summary>
    public static double Cdf(double z)
    {
        // Φ(z) = ½ erfc(−z/√2), and erfc(t) = Q(½, t²) for t ≥ 0.
        var t = z / Math.Sqrt(2);
        var tail = RegularizedGamma.UpperQ(0.5, t * t) / 2;
        return z >= 0 ? 1 - tail : tail;
    }

    /// <summary>P(Z &gt; z), accurate far into the tail.</summary>
    public static double UpperTail(double z) => z >= 0 ? RegularizedGamma.UpperQ(0.5, z * z / 2) / 2 : 1 - UpperTail(-z);

    /// <summary>The z with P(Z ≤ z) = p, for 0 &lt; p &lt; 1 (Acklam's rational approximation, refined by one Halley step).</summary>
    public static double Quantile(double p)
    {
        if (p is <= 0 or >= 1 || double.IsNaN(p))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "A probability strictly between 0 and 1 is required.");
        }

        ReadOnlySpan<double> a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        ReadOnlySpan<double> b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        ReadOnlySpan<double> c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        ReadOnlySpan<double> d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        const double low = 0.02425;
        double x;
        if (p < low)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        else if (p <= 1 - low)
        {
            var q = p - 0.5;
            var r = q * q;
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        }
        else
        {
            var q = Math.Sqrt(-2 * Math.Log(1 - p));
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }

        // One Halley step brings the relative error from ~1e-9 to machine precision.
        var e = Cdf(x) - p;
        var u = e * Math.Sqrt(2 * Math.PI) * Math.Exp(x * x / 2);
        return x - u / (1 + x * u / 2);
    }
}
