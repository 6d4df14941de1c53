using System.Text.Json.Serialization;

namespace Proxy.Traffic.Mirroring.Diffs;

/// <summary>How a mirror compares answers (the <c>Diff</c> of a mirror, in the configuration file or the admin API).</summary>
/// <param name="Enabled">False: answers are not captured or compared (default true).</param>
/// <param name="Ignore">Fields never compared, e.g. <c>$.timestamp</c>, <c>$.items[*].id</c>, <c>headers.etag</c>.</param>
/// <param name="Sets">JSON arrays compared as sets, e.g. <c>$.tags</c>.</param>
/// <param name="Headers">Answer headers compared (default Content-Type).</param>
/// <param name="Redact">Headers, JSON property names or paths whose values examples never show (replaces the default list).</param>
/// <param name="MaxBodyBytes">Largest answer body compared (0–16 MiB); default 64 KiB.</param>
/// <param name="NoisePercentage">Share of mirrored requests sent a second time to the primary's cluster to learn noise (0–100); default 0.</param>
/// <param name="MaxMemoryBytes">Most bytes of answer bodies held at once for the route (64 KiB – 1 GiB); default 16 MiB.</param>
/// <param name="MaxEndpoints">Most endpoints reported (1–1000); default 50.</param>
/// <param name="MaxFields">Most fields kept per endpoint (1–1000); default 50.</param>
/// <remarks>Every member has a default so that the configuration binder can read it too.</remarks>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record MirrorDiffRequest(
    bool? Enabled = null,
    List<string>? Ignore = null,
    List<string>? Sets = null,
    List<string>? Headers = null,
    List<string>? Redact = null,
    long? MaxBodyBytes = null,
    decimal? NoisePercentage = null,
    long? MaxMemoryBytes = null,
    int? MaxEndpoints = null,
    int? MaxFields = null)
{
    /// <summary>The validated request as settings, filling the defaults (the defaults alone when null).</summary>
    public static MirrorDiffSettings ToSettings(MirrorDiffRequest? request) => request is null ? MirrorDiffSettings.Default : new(
        request.Enabled ?? true,
        Distinct(request.Ignore, lower: false),
        Distinct(request.Sets, lower: false),
        request.Headers is null ? MirrorDiffSettings.DefaultHeaders : Distinct(request.Headers, lower: true),
        request.Redact is null ? MirrorDiffSettings.DefaultRedact : Distinct(request.Redact, lower: false),
        request.MaxBodyBytes ?? MirrorDiffSettings.DefaultMaxBodyBytes,
        Splitting.BasisPoints.FromPercent(request.NoisePercentage ?? 0),
        request.MaxMemoryBytes ?? MirrorDiffSettings.DefaultMaxMemoryBytes,
        request.MaxEndpoints ?? MirrorDiffSettings.DefaultMaxEndpoints,
        request.MaxFields ?? MirrorDiffSettings.DefaultMaxFields);

    private static string[] Distinct(List<string>? values, bool lower) =>
        values is null ? [] : [.. values.Select(v => lower ? v.Trim().ToLowerInvariant() : v.Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
