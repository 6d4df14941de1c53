using System.Globalization;
using Proxy.Traffic.Rollouts.Metrics;

namespace Proxy.Traffic.Rollouts.Analysis;

/// <summary>
/// Applies a rollout's limits to one window: a candidate out of rotation by its own failures fails; too little candidate
/// traffic is inconclusive; any broken limit fails;
/// the relative limits apply only when stable served enough requests in the same window; a latency test that cannot
/// tell keeps the verdict inconclusive; otherwise the candidate passes.
/// </summary>
public static class AnalysisJudge
{
    /// <summary>
    /// The verdict on the candidate's and stable's figures over the same window. With <paramref name="answers"/> (a step where
    /// the candidate has no weight, judged on <see cref="AnalysisSettings.MaxDiffRate"/>) the mirror's comparisons are the
    /// evidence: they must number <c>minRequests</c>, and the candidate's own limits apply only if it also served as many.
    /// A <paramref name="candidateOutage"/> (its breaker tripped by its own failures, or no healthy destination) fails the
    /// window however few requests it served: that is why it served few, and waiting would only wait for the break to end.
    /// </summary>
    public static AnalysisVerdict Judge(
        AnalysisSettings settings, DateTimeOffset at, int step, string candidateId, WindowStats candidate, string stableId, WindowStats stable,
        AnswerDiffFigures? answers = null, string? candidateOutage = null)
    {
        var candidateFigures = Figures(candidateId, candidate);
        var stableFigures = Figures(stableId, stable);
        var notes = new List<string>();
        var outcome = VerdictOutcome.Pass;
        double? pValue = null;

        void Fail(string note)
        {
            outcome = VerdictOutcome.Fail;
            notes.Add(note);
        }

        // Too little evidence keeps a verdict undecided, unless it has already failed.
        VerdictOutcome Undecided() => outcome == VerdictOutcome.Fail ? outcome : VerdictOutcome.Inconclusive;

        if (candidateOutage is not null)
        {
            Fail("the candidate is out of rotation: " + candidateOutage);
        }

        if (answers is not null && settings.MaxDiffRate is { } maxDiffRate)
        {
            if (answers.Compared < settings.MinRequests)
            {
                outcome = Undecided();
                notes.Add(Format($"the mirror compared {answers.Compared} answers, fewer than the {settings.MinRequests} needed"));
            }
            else if (answers.Rate > maxDiffRate)
            {
                Fail(Format($"{answers.Describe()}, above the limit {Percent(maxDiffRate)}"));
            }

            if (candidate.Requests < settings.MinRequests)
            {
                // Override traffic, if any, is too little to judge; the mirror's comparisons decide.
                notes.Add(Format($"the candidate's own limits skipped: it served {candidate.Requests} requests"));
                return Verdict(settings, at, step, outcome, candidateFigures, stableFigures, null, notes, answers);
            }
        }
        else if (candidate.Requests < settings.MinRequests)
        {
            notes.Add(Format($"candidate served {candidate.Requests} requests, fewer than the {settings.MinRequests} needed"));
            return new AnalysisVerdict(at, step, Undecided(), candidateFigures, stableFigures, null, string.Join("; ", notes));
        }

        if (settings.MaxErrorRate is { } maxErrorRate && candidate.ErrorRate > maxErrorRate)
        {
            Fail(Format($"error rate {Percent(candidate.ErrorRate)} above the limit {Percent(maxErrorRate)}"));
        }

        if (settings.MaxP99LatencyMs is { } maxP99 && candidateFigures.P99LatencyMs > maxP99)
        {
            Fail(Format($"p99 {candidateFigures.P99LatencyMs:0.#} ms above the limit {maxP99:0.#} ms"));
        }

        var relative = settings.MaxErrorRateIncrease is not null || settings.MaxLatencyFactor is not null;
        if (relative && stable.Requests < settings.MinRequests)
        {
            notes.Add(Format($"relative limits skipped: stable served {stable.Requests} requests"));
        }
        else if (relative)
        {
            if (settings.MaxErrorRateIncrease is { } increase && candidate.ErrorRate > stable.ErrorRate + increase)
            {
                Fail(Format($"error rate {Percent(candidate.ErrorRate)} above stable's {Percent(stable.ErrorRate)} + {Percent(increase)}"));
            }

            if (settings.MaxLatencyFactor is { } factor)
            {
                var latency = LatencyComparison.Compare(candidate.Latency, stable.Latency, factor, AnalysisSettings.Significance);
                pValue = latency.PSlower;
                if (latency.Outcome == VerdictOutcome.Fail)
                {
                    Fail(Format($"latency worse than stable × {factor} (Mann-Whitney p = {latency.PSlower:0.####})"));
                }
                else if (latency.Outcome == VerdictOutcome.Inconclusive && outcome == VerdictOutcome.Pass)
                {
                    outcome = VerdictOutcome.Inconclusive;
                    notes.Add(Format($"latency against stable × {factor} undecided (p = {latency.PSlower:0.####})"));
                }
            }
        }

        return Verdict(settings, at, step, outcome, candidateFigures, stableFigures, pValue, notes, answers);
    }

    private static AnalysisVerdict Verdict(
        AnalysisSettings settings, DateTimeOffset at, int step, VerdictOutcome outcome, ClusterFigures candidate, ClusterFigures stable, double? pValue,
        List<string> notes, AnswerDiffFigures? answers)
    {
        if (outcome == VerdictOutcome.Pass)
        {
            notes.Insert(0, answers is not null && settings.MaxDiffRate is { } max ? Format($"every limit met ({answers.Describe()}, limit {Percent(max)})") : "every limit met");
        }

        return new AnalysisVerdict(at, step, outcome, candidate, stable, pValue, string.Join("; ", notes));
    }

    private static ClusterFigures Figures(string clusterId, WindowStats stats) =>
        new(clusterId, stats.Requests, Math.Round(stats.ErrorRate, 4), Math.Round(stats.P99Milliseconds, 1));

    /// <summary>"21.7%": a rate as operators read it, in any culture.</summary>
    internal static string Percent(double rate) => (rate * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
