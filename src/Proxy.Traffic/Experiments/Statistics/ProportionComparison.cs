namespace Proxy.Traffic.Experiments.Statistics;

/// <summary>
/// Two arms' conversion rates compared: the absolute lift (difference of rates) and the relative lift (difference over
/// the control's rate), with the fixed-horizon Wald interval of the difference (Newcombe 1998, method 1).
/// </summary>
/// <param name="ControlRate">The control arm's conversion rate.</param>
/// <param name="TreatmentRate">The compared arm's conversion rate.</param>
/// <param name="Variance">Var(treatment − control) estimated from both arms (unpooled): p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂.</param>
/// <param name="AdjustedVariance">
/// The same with one conversion and one non-conversion added to each arm (Agresti and Caffo 2000): p̃ = (c + 1)/(n + 2) over
/// n + 2 users. Never 0, so an arm converting every user against one converting none is evidence, where the plain
/// estimate says "no variance" and with it "no evidence"; the sequential test uses this one.
/// </param>
public readonly record struct ProportionComparison(double ControlRate, double TreatmentRate, double Variance, double AdjustedVariance)
{
    /// <summary>Treatment rate minus control rate.</summary>
    public double AbsoluteLift => TreatmentRate - ControlRate;

    /// <summary>The absolute lift over the control's rate; NaN when the control never converted.</summary>
    public double RelativeLift => ControlRate > 0 ? AbsoluteLift / ControlRate : double.NaN;

    /// <summary>Compares converted/exposed counts of a control and a treatment arm.</summary>
    public static ProportionComparison Of(long controlConverted, long controlExposed, long treatmentConverted, long treatmentExposed)
    {
        var control = Rate(controlConverted, controlExposed);
        var treatment = Rate(treatmentConverted, treatmentExposed);
        var variance = (controlExposed > 0 ? control * (1 - control) / controlExposed : 0)
            + (treatmentExposed > 0 ? treatment * (1 - treatment) / treatmentExposed : 0);
        return new ProportionComparison(control, treatment, variance, AgrestiCaffoVariance(controlConverted, controlExposed) + AgrestiCaffoVariance(treatmentConverted, treatmentExposed));
    }

    /// <summary>converted / exposed, 0 with nobody exposed.</summary>
    public static double Rate(long converted, long exposed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(converted);
        ArgumentOutOfRangeException.ThrowIfNegative(exposed);
        return exposed == 0 ? 0 : Math.Min(1.0, (double)converted / exposed);
    }

    private static double AgrestiCaffoVariance(long converted, long exposed)
    {
        var adjusted = (Rate(converted, exposed) * exposed + 1) / (exposed + 2.0);
        return adjusted * (1 - adjusted) / (exposed + 2.0);
    }

    /// <summary>The fixed-horizon (1 − α) Wald interval of the absolute lift: valid for one look at a planned sample size only.</summary>
    public (double Low, double High) WaldInterval(double alpha)
    {
        var half = NormalDistribution.Quantile(1 - alpha / 2) * Math.Sqrt(Variance);
        return (AbsoluteLift - half, AbsoluteLift + half);
    }
}
