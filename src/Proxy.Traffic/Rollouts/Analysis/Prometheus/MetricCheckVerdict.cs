namespace Proxy.Traffic.Rollouts.Analysis.Prometheus;

/// <summary>
/// Joins the Prometheus checks' figures to the gateway's own verdict the way <see cref="AnalysisJudge"/> joins its limits:
/// any failed check fails the verdict; otherwise any inconclusive one keeps it inconclusive; otherwise the gateway's own
/// outcome stands. Every check's figures go with the verdict, and each one that did not pass is named in its summary.
/// </summary>
public static class MetricCheckVerdict
{
    private const string AllMet = "every limit met";

    /// <summary>The verdict with the checks' figures; <paramref name="verdict"/> itself when there are no checks.</summary>
    public static AnalysisVerdict Combine(AnalysisVerdict verdict, IReadOnlyList<MetricCheckFigures> checks)
    {
        if (checks.Count == 0)
        {
            return verdict;
        }

        var outcome = checks.Any(c => c.Outcome == VerdictOutcome.Fail) ? VerdictOutcome.Fail
            : verdict.Outcome == VerdictOutcome.Fail ? VerdictOutcome.Fail
            : checks.Any(c => c.Outcome == VerdictOutcome.Inconclusive) ? VerdictOutcome.Inconclusive
            : verdict.Outcome;

        // A passing summary says "every limit met": true of the gateway's own limits only, once a check did not pass.
        var own = verdict.Outcome == VerdictOutcome.Pass && outcome != VerdictOutcome.Pass && verdict.Summary.StartsWith(AllMet, StringComparison.Ordinal)
            ? "the gateway's own limits met" + verdict.Summary[AllMet.Length..]
            : verdict.Summary;
        var notes = checks.Where(c => c.Outcome != VerdictOutcome.Pass).Select(c => c.Note());
        return verdict with { Outcome = outcome, Summary = string.Join("; ", notes.Append(own)), Metrics = checks };
    }
}
