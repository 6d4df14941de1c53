using Proxy.Traffic.Rollouts.Analysis;
using Proxy.Traffic.Rollouts.Metrics;
using Proxy.Traffic.Telemetry;

namespace Proxy.Traffic.Tests.Rollouts;

public class AnswerDiffAnalysisTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly AnalysisSettings Settings =
        new(TimeSpan.FromSeconds(10), 50, null, null, null, null, 1, TimeSpan.FromMinutes(1), InconclusiveAction.Rollback, MaxDiffRate: 0.05);

    private static readonly WindowStats None = new(0, 0, new long[LatencyHistogram.BucketCount]);

    private static AnalysisVerdict Judge(AnswerDiffFigures? answers) => AnalysisJudge.Judge(Settings, At, 0, "green", None, "blue", None, answers);

    [Fact]
    public void A_preview_whose_answers_differ_beyond_the_limit_fails_with_the_figures()
    {
        var verdict = Judge(new AnswerDiffFigures(100, 20));

        Assert.Equal(VerdictOutcome.Fail, verdict.Outcome);
        Assert.Contains("answers differed in 20 of 100 compared requests (20.0%), above the limit 5.0%", verdict.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_preview_within_the_limit_passes_on_the_mirror_alone()
    {
        var verdict = Judge(new AnswerDiffFigures(100, 5));

        Assert.Equal(VerdictOutcome.Pass, verdict.Outcome);
        Assert.Contains("candidate's own limits skipped", verdict.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_few_compared_answers_or_no_mirror_are_inconclusive()
    {
        Assert.Equal(VerdictOutcome.Inconclusive, Judge(new AnswerDiffFigures(49, 0)).Outcome);
        Assert.Equal(VerdictOutcome.Inconclusive, Judge(new AnswerDiffFigures(0, 0)).Outcome);
    }

    [Fact]
    public void A_stored_plan_without_maxDiffRate_is_written_as_before()
    {
        var without = Settings with { MaxDiffRate = null };

        Assert.DoesNotContain("maxDiffRate", System.Text.Json.JsonSerializer.Serialize(without, System.Text.Json.JsonSerializerOptions.Web), StringComparison.Ordinal);
        Assert.Contains("\"maxDiffRate\":0.05", System.Text.Json.JsonSerializer.Serialize(Settings, System.Text.Json.JsonSerializerOptions.Web), StringComparison.Ordinal);
    }
}
