using Proxy.Traffic.Mirroring;
using Proxy.Traffic.Telemetry;

namespace Proxy.Traffic.Admin.Contracts;

/// <summary>What a route's mirror has seen since its settings were applied: copies, drops, comparison results, both sides.</summary>
/// <param name="Sent">Copies sent.</param>
/// <param name="InFlight">Copies in flight now.</param>
/// <param name="PeakInFlight">The most copies in flight at once.</param>
/// <param name="Dropped">Dropped copies by reason (concurrency, body_too_large, body_incomplete).</param>
/// <param name="Results">Compared requests by result (match, status_mismatch, mirror_error, mirror_timeout, primary_not_answered).</param>
/// <param name="Primary">The primary side of mirrored requests.</param>
/// <param name="Mirror">The mirror side (answers only).</param>
public sealed record MirrorComparisonResponse(
    long Sent,
    int InFlight,
    int PeakInFlight,
    IReadOnlyDictionary<string, long> Dropped,
    IReadOnlyDictionary<string, long> Results,
    MirrorSideResponse Primary,
    MirrorSideResponse Mirror)
{
    /// <summary>The API form of a comparison.</summary>
    public static MirrorComparisonResponse From(MirrorComparison comparison) => new(
        comparison.Sent,
        comparison.InFlight,
        comparison.PeakInFlight,
        Enum.GetValues<MirrorDropReason>().ToDictionary(MirrorMetrics.DropName, comparison.Count),
        Enum.GetValues<MirrorResult>().ToDictionary(MirrorMetrics.ResultName, comparison.Count),
        MirrorSideResponse.From(comparison.StatusCounts(mirror: false), comparison.PrimaryLatency),
        MirrorSideResponse.From(comparison.StatusCounts(mirror: true), comparison.MirrorLatency));
}

/// <summary>One side of mirrored requests: answers per status class and latency quantiles (upper bounds of <see cref="LatencyHistogram"/> buckets, ms).</summary>
public sealed record MirrorSideResponse(IReadOnlyDictionary<string, long> StatusClasses, double? P50Ms, double? P90Ms, double? P99Ms)
{
    /// <summary>The API form of one side.</summary>
    public static MirrorSideResponse From(long[] statusCounts, LatencyHistogram latency)
    {
        var buckets = latency.Snapshot();
        return new(
            MirrorComparison.StatusClasses.Select((name, i) => (name, count: statusCounts[i])).Where(p => p.count > 0).ToDictionary(p => p.name, p => p.count),
            Milliseconds(buckets, 0.5),
            Milliseconds(buckets, 0.9),
            Milliseconds(buckets, 0.99));
    }

    // Rounded as the rollout verdicts round theirs: bucket bounds are not exact figures.
    private static double? Milliseconds(long[] buckets, double quantile) =>
        LatencyHistogram.Quantile(buckets, quantile) is { } bound ? Math.Round(bound, 1) : null;
}
