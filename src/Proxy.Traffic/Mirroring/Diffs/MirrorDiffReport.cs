namespace Proxy.Traffic.Mirroring.Diffs;

/// <summary>What a route's mirror found comparing answers since its settings were applied.</summary>
/// <param name="Compared">Requests whose two answers were compared.</param>
/// <param name="Differing">Requests whose answers differed in a field that is neither ignored nor noise.</param>
/// <param name="NotCompared">Mirrored requests whose answers were not compared, by reason.</param>
/// <param name="NoiseCopies">Second copies sent to the primary's cluster.</param>
/// <param name="NoiseFailed">Second copies planned that gave no usable answer or could not be sent; their requests are compared without noise.</param>
/// <param name="OtherEndpointRequests">Requests of endpoints beyond the limit, counted together as <c>(other)</c>.</param>
/// <param name="DroppedFields">Field entries not kept because an endpoint had its limit of fields.</param>
/// <param name="TruncatedDifferences">Differences beyond the most kept for one pair of answers.</param>
/// <param name="MemoryInUse">Bytes of answer bodies held now.</param>
/// <param name="Endpoints">Per endpoint, most differing first.</param>
public sealed record MirrorDiffReport(
    long Compared,
    long Differing,
    IReadOnlyDictionary<NotComparedReason, long> NotCompared,
    long NoiseCopies,
    long NoiseFailed,
    long OtherEndpointRequests,
    long DroppedFields,
    long TruncatedDifferences,
    long MemoryInUse,
    IReadOnlyList<EndpointDiffReport> Endpoints);

/// <summary>One endpoint's comparison.</summary>
/// <param name="Endpoint">Method and path template, e.g. <c>GET /orders/{id}</c>.</param>
/// <param name="Compared">Requests compared.</param>
/// <param name="Differing">Requests that differed beyond noise.</param>
/// <param name="NoiseSamples">Requests whose answer was also compared with a second primary answer.</param>
/// <param name="Fields">The fields that differed, most often first.</param>
/// <param name="Noise">The fields learned as noise, with how often two primary answers differed in them.</param>
/// <param name="DroppedFields">Field entries not kept (limit of fields).</param>
public sealed record EndpointDiffReport(
    string Endpoint, long Compared, long Differing, long NoiseSamples, IReadOnlyList<FieldDiffReport> Fields, IReadOnlyList<NoisyFieldReport> Noise, long DroppedFields);

/// <summary>A field in which the candidate differed from the primary.</summary>
/// <param name="Field">The field.</param>
/// <param name="Count">Requests in which it differed.</param>
/// <param name="Example">The first difference seen (values redacted where configured).</param>
public sealed record FieldDiffReport(string Field, long Count, FieldDifference Example);

/// <summary>A field learned as noise: two primary answers to one request differed in it.</summary>
/// <param name="Field">The field.</param>
/// <param name="NoiseRate">Share of second primary answers that differed in it.</param>
/// <param name="CandidateCount">Requests in which the candidate differed in it too (not counted as differences).</param>
/// <param name="Example">The first difference seen between two primary answers.</param>
public sealed record NoisyFieldReport(string Field, double NoiseRate, long CandidateCount, FieldDifference Example);
