using System.Globalization;
using Proxy.Traffic.Experiments.Counting;
using Proxy.Traffic.Experiments.Statistics;

namespace Proxy.Traffic.Experiments;

/// <summary>
/// Turns an experiment's counts into its report: conversion per arm, each arm against the control with the mSPRT's
/// always-valid p-value and interval (α split among the arms, Bonferroni), the sample-ratio-mismatch check first, and the
/// outcome in words.
/// </summary>
public static class ExperimentAnalysis
{
    /// <summary>The verdict when an arm beats the others.</summary>
    public const string Winner = "winner";

    /// <summary>The verdict while no arm differs detectably.</summary>
    public const string NoDifferenceYet = "no-difference-yet";

    /// <summary>The verdict while an arm has fewer users than the minimum.</summary>
    public const string NotEnoughUsers = "not-enough-users";

    /// <summary>The verdict when the assignment is broken.</summary>
    public const string SampleRatioMismatch = "srm";

    /// <summary>Builds the report.</summary>
    /// <param name="experiment">The experiment.</param>
    /// <param name="counts">Its counts.</param>
    /// <param name="allocation">Each arm's share of the assignment in force (basis points or any unit).</param>
    /// <param name="guardrails">Each arm's guardrail metrics, or null.</param>
    public static ExperimentReport Analyze(RunningExperiment experiment, ExperimentCounts counts, IReadOnlyList<double> allocation, IReadOnlyList<GuardrailReport?> guardrails)
    {
        var definition = experiment.Definition;
        var settings = definition.Settings;
        var arms = definition.Arms;
        var shareTotal = allocation.Sum();
        var armReports = arms.Select((arm, i) => new ArmReport(
            arm,
            i == 0,
            shareTotal > 0 ? Math.Round((decimal)(allocation[i] / shareTotal * 100), 2) : 0,
            counts.Exposed[i],
            definition.Goals.Select((goal, g) => (goal.Name, Count: new GoalCount(counts.Converted[g][i], ProportionComparison.Rate(counts.Converted[g][i], counts.Exposed[i]))))
                .ToDictionary(p => p.Name, p => p.Count, StringComparer.Ordinal),
            guardrails[i])).ToArray();

        var srm = SampleRatioCheck.Test(counts.Exposed, allocation.ToArray());
        var alpha = settings.Alpha / (arms.Count - 1);
        var comparisons = new List<ComparisonReport>();
        for (var g = 0; g < definition.Goals.Count; g++)
        {
            for (var i = 1; i < arms.Count; i++)
            {
                comparisons.Add(Compare(arms[i], definition.Goals[g].Name, counts.Converted[g][0], counts.Exposed[0], counts.Converted[g][i], counts.Exposed[i], settings.Tau, alpha));
            }
        }

        var outcome = Decide(definition, counts, srm, comparisons, settings);
        return new ExperimentReport(
            definition.RouteId,
            definition.Name,
            experiment.Status?.State ?? ExperimentStatus.Running,
            definition.Flag,
            experiment.Since,
            experiment.Status,
            definition.Goals[definition.PrimaryGoal].Name,
            armReports,
            new CountingReport(counts.Mode, counts.StandardError, counts.Capped, settings.MaxUsers),
            new SampleRatioReport(double.IsFinite(srm.ChiSquare) ? srm.ChiSquare : null, srm.PValue, SampleRatioCheck.Threshold, srm.Detected),
            [.. comparisons],
            outcome);
    }

    private static ComparisonReport Compare(string arm, string goal, long controlConverted, long controlExposed, long converted, long exposed, double tau, double alpha)
    {
        var comparison = ProportionComparison.Of(controlConverted, controlExposed, converted, exposed);
        var half = MixtureSequentialTest.HalfWidth(comparison.AdjustedVariance, tau, alpha);
        var lift = comparison.AbsoluteLift;
        var pValue = MixtureSequentialTest.PValue(lift, comparison.AdjustedVariance, tau);
        var control = comparison.ControlRate;
        double[] interval = [Finite(lift - half), Finite(lift + half)];
        return new ComparisonReport(
            arm, goal, control, comparison.TreatmentRate, lift, interval,
            control > 0 ? comparison.RelativeLift : null,
            control > 0 ? [interval[0] / control, interval[1] / control] : null,
            pValue,
            pValue < alpha);
    }

    private static OutcomeReport Decide(ExperimentDefinition definition, ExperimentCounts counts, SampleRatioResult srm, List<ComparisonReport> comparisons, ExperimentSettings settings)
    {
        var arms = definition.Arms;
        if (srm.Detected)
        {
            return new OutcomeReport(SampleRatioMismatch, null,
                $"SRM detected: do not trust (exposures {string.Join("/", counts.Exposed)} do not fit the allocation; chi-square {Format(srm.ChiSquare, "0.0")}, p = {srm.PValue.ToString("0.##E+0", CultureInfo.InvariantCulture)})",
                null);
        }

        var fewest = counts.Exposed.Min();
        if (fewest < settings.MinimumUsersPerArm)
        {
            return new OutcomeReport(NotEnoughUsers, null,
                $"not enough users yet (each arm needs {settings.MinimumUsersPerArm}; the smallest has {fewest})", settings.MinimumUsersPerArm - fewest);
        }

        var primaryGoal = definition.Goals[definition.PrimaryGoal].Name;
        var primary = comparisons.Where(c => c.Goal == primaryGoal).ToArray();
        var better = primary.Where(c => c.Significant && c.AbsoluteLift > 0).OrderByDescending(c => c.Rate).FirstOrDefault();
        var confidence = Format((1 - settings.Alpha) * 100, "0.#");
        if (better is not null)
        {
            return new OutcomeReport(Winner, better.Arm, $"{better.Arm} wins ({Lift(better)}, {confidence} % interval {Interval(better)})", null);
        }

        if (primary.Length > 0 && primary.All(c => c.Significant && c.AbsoluteLift < 0))
        {
            var closest = primary.OrderByDescending(c => c.Rate).First();
            return new OutcomeReport(Winner, arms[0],
                $"{arms[0]} wins: every other arm converts less ({closest.Arm}: {Lift(closest)}, {confidence} % interval {Interval(closest)})", null);
        }

        var controlRate = primary.Length > 0 ? primary[0].ControlRate : 0;
        var lift = Format(settings.MinimumDetectableLift * 100, "0.##");
        var alpha = settings.Alpha / (arms.Count - 1);
        if (SampleSizeEstimate.UsersPerArm(controlRate, controlRate * settings.MinimumDetectableLift, settings.Tau, alpha) is { } needed)
        {
            var more = Math.Max(0, needed - fewest);
            return new OutcomeReport(NoDifferenceYet, null,
                $"no difference detectable yet (≈{more.ToString("N0", CultureInfo.InvariantCulture)} more users per arm needed for a {lift} % lift)", more);
        }

        return new OutcomeReport(NoDifferenceYet, null, "no difference detectable yet (no conversions to estimate the users needed from)", null);
    }

    private static string Lift(ComparisonReport c) => c.RelativeLift is { } relative
        ? Signed(relative * 100) + " %"
        : Signed(c.AbsoluteLift * 100) + " points";

    private static string Interval(ComparisonReport c) => c.RelativeInterval is { } relative
        ? $"{Signed(relative[0] * 100)}…{Signed(relative[1] * 100)} %"
        : $"{Signed(c.AbsoluteInterval[0] * 100)}…{Signed(c.AbsoluteInterval[1] * 100)} points";

    private static string Signed(double value) => (value >= 0 ? "+" : "") + Format(value, "0.0");

    private static string Format(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    // JSON has no infinity: an interval without variance yet is reported as wide as the rates allow.
    private static double Finite(double value) => double.IsFinite(value) ? value : Math.Sign(value);
}
