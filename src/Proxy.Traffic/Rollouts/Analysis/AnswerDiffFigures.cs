using System.Globalization;

namespace Proxy.Traffic.Rollouts.Analysis;

/// <summary>
/// What the route's mirror to the candidate found comparing answers (since its settings were applied): requests compared,
/// and those whose answers differed beyond noise. The evidence of <see cref="AnalysisSettings.MaxDiffRate"/> at a step where
/// the candidate has no weight (a preview or a mirror step).
/// </summary>
/// <param name="Compared">Requests whose answers were compared; 0 when no mirror to the candidate compares answers.</param>
/// <param name="Differing">Requests that differed in a field that is neither ignored nor noise.</param>
public sealed record AnswerDiffFigures(long Compared, long Differing)
{
    /// <summary>Differing over compared.</summary>
    public double Rate => Compared == 0 ? 0 : (double)Differing / Compared;

    /// <summary>"answers differed in 12 of 60 compared requests (20.0%)".</summary>
    public string Describe() => string.Create(
        CultureInfo.InvariantCulture, $"answers differed in {Differing} of {Compared} compared requests ({AnalysisJudge.Percent(Rate)})");
}
