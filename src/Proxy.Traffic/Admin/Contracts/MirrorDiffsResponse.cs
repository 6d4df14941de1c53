using Proxy.Traffic.Mirroring;
using Proxy.Traffic.Mirroring.Diffs;

namespace Proxy.Traffic.Admin.Contracts;

/// <summary>How a mirror compares answers, as the admin API shows it.</summary>
public sealed record MirrorDiffSettingsResponse(
    bool Enabled,
    IReadOnlyList<string> Ignore,
    IReadOnlyList<string> Sets,
    IReadOnlyList<string> Headers,
    IReadOnlyList<string> Redact,
    long MaxBodyBytes,
    decimal NoisePercentage,
    long MaxMemoryBytes,
    int MaxEndpoints,
    int MaxFields)
{
    /// <summary>The API form of comparison settings.</summary>
    public static MirrorDiffSettingsResponse From(MirrorDiffSettings settings) => new(
        settings.Enabled, settings.Ignore, settings.Sets, settings.Headers, settings.Redact, settings.MaxBodyBytes,
        settings.NoisePercentage, settings.MaxMemoryBytes, settings.MaxEndpoints, settings.MaxFields);
}

/// <summary>What a route's mirror found comparing the primary's and the mirror's answers, per endpoint.</summary>
/// <param name="Route">The YARP route id.</param>
/// <param name="Cluster">The mirror cluster (the candidate).</param>
/// <param name="Since">When the mirror's settings were applied; everything counts from then.</param>
/// <param name="Enabled">False when the mirror does not compare answers (<c>diff.enabled</c> false).</param>
/// <param name="Compared">Requests whose answers were compared.</param>
/// <param name="Differing">Requests whose answers differed in a field that is neither ignored nor noise.</param>
/// <param name="DiffRate">Differing over compared (0–1), null before any comparison.</param>
/// <param name="NotCompared">Mirrored requests whose answers were not compared, by reason.</param>
/// <param name="Noise">Second copies sent to the primary's cluster, and how many got no usable answer.</param>
/// <param name="Dropped">What the limits left out: endpoints folded into <c>(other)</c>, field entries, differences beyond the most kept per answer.</param>
/// <param name="MemoryInUseBytes">Bytes of answer bodies held now (at most <c>settings.maxMemoryBytes</c>).</param>
/// <param name="Settings">The comparison's settings.</param>
/// <param name="Endpoints">Per endpoint, most differing first.</param>
public sealed record MirrorDiffsResponse(
    string Route,
    string Cluster,
    DateTimeOffset Since,
    bool Enabled,
    long Compared,
    long Differing,
    double? DiffRate,
    IReadOnlyDictionary<string, long> NotCompared,
    MirrorNoiseResponse Noise,
    IReadOnlyDictionary<string, long> Dropped,
    long MemoryInUseBytes,
    MirrorDiffSettingsResponse Settings,
    IReadOnlyList<EndpointDiffResponse> Endpoints)
{
    private static readonly string[] ReasonNames = ["body_too_large", "memory", "mirror_failed", "primary_not_answered", "same_cluster", "unreadable"];

    /// <summary>The API form of a route's answer comparison.</summary>
    public static MirrorDiffsResponse From(MirroredRoute route)
    {
        var report = route.Diffs.Report();
        return new(
            route.RouteId,
            route.Settings.ClusterId,
            route.Since,
            route.Diffs.Enabled,
            report.Compared,
            report.Differing,
            Rate(report.Differing, report.Compared),
            report.NotCompared.ToDictionary(r => ReasonName(r.Key), r => r.Value),
            new MirrorNoiseResponse(report.NoiseCopies, report.NoiseFailed),
            new Dictionary<string, long>
            {
                ["otherEndpointRequests"] = report.OtherEndpointRequests,
                ["fields"] = report.DroppedFields,
                ["differences"] = report.TruncatedDifferences,
            },
            report.MemoryInUse,
            MirrorDiffSettingsResponse.From(route.Settings.Answers),
            [.. report.Endpoints.Select(EndpointDiffResponse.From)]);
    }

    /// <summary>The API name of a reason.</summary>
    public static string ReasonName(NotComparedReason reason) => ReasonNames[(int)reason];

    internal static double? Rate(long part, long whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);
}

/// <summary>Second copies to the primary's cluster (the noise model's samples): sent, and planned ones that gave no usable answer or could not be sent.</summary>
public sealed record MirrorNoiseResponse(long Sent, long Failed);

/// <summary>One endpoint's comparison.</summary>
/// <param name="Endpoint">Method and path template, e.g. <c>GET /orders/{id}</c>.</param>
/// <param name="Compared">Requests compared.</param>
/// <param name="Differing">Requests that differed beyond noise.</param>
/// <param name="DiffRate">Differing over compared.</param>
/// <param name="NoiseSamples">Requests also compared with a second primary answer.</param>
/// <param name="Fields">The fields in which the candidate differed, most often first, each with one example.</param>
/// <param name="Noise">Fields learned as noise (excluded from the differences), with their noise rate.</param>
/// <param name="DroppedFields">Field entries beyond the endpoint's limit.</param>
public sealed record EndpointDiffResponse(
    string Endpoint, long Compared, long Differing, double? DiffRate, long NoiseSamples,
    IReadOnlyList<FieldDiffResponse> Fields, IReadOnlyList<NoisyFieldResponse> Noise, long DroppedFields)
{
    /// <summary>The API form of an endpoint's report.</summary>
    public static EndpointDiffResponse From(EndpointDiffReport report) => new(
        report.Endpoint,
        report.Compared,
        report.Differing,
        MirrorDiffsResponse.Rate(report.Differing, report.Compared),
        report.NoiseSamples,
        [.. report.Fields.Select(f => new FieldDiffResponse(f.Field, f.Count, MirrorDiffsResponse.Rate(f.Count, report.Compared) ?? 0, DiffExampleResponse.From(f.Example)))],
        [.. report.Noise.Select(n => new NoisyFieldResponse(n.Field, Math.Round(n.NoiseRate, 4), n.CandidateCount, DiffExampleResponse.From(n.Example)))],
        report.DroppedFields);
}

/// <summary>A field in which the candidate's answers differed: in how many requests, and one example.</summary>
public sealed record FieldDiffResponse(string Field, long Count, double Share, DiffExampleResponse Example);

/// <summary>A field learned as noise: the share of second primary answers that differed in it, and how often the candidate did.</summary>
public sealed record NoisyFieldResponse(string Field, double NoiseRate, long CandidateCount, DiffExampleResponse Example);

/// <summary>One difference: where, what kind, and both values (shortened; redacted for sensitive fields).</summary>
/// <param name="At">The exact place, e.g. <c>$.items[3].price</c>.</param>
/// <param name="Kind"><c>changed</c>, <c>missing</c> (only in the primary's), <c>added</c> (only in the other) or <c>type</c>.</param>
/// <param name="Primary">The primary's value.</param>
/// <param name="Other">The other answer's value: the mirror's, or for noise the second primary answer's.</param>
public sealed record DiffExampleResponse(string At, string Kind, string? Primary, string? Other)
{
    /// <summary>The API form of a difference.</summary>
    public static DiffExampleResponse From(FieldDifference difference) => new(difference.At, difference.Kind, difference.First, difference.Second);
}
