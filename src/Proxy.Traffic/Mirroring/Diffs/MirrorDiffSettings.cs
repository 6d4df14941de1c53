using System.Text.Json.Serialization;

namespace Proxy.Traffic.Mirroring.Diffs;

/// <summary>How a mirror compares the two answers to a request, learns noise and bounds what it keeps.</summary>
/// <param name="Enabled">False: only status classes and latencies are compared, no answer is captured.</param>
/// <param name="Ignore">Fields never compared: JSON paths (<c>$.timestamp</c>, <c>$.items[*].id</c>, a path covers what is below it), <c>status</c>, <c>body</c>, <c>headers.{name}</c>.</param>
/// <param name="Sets">JSON arrays compared as sets (order and position do not matter), by path.</param>
/// <param name="Headers">Answer headers compared (lower case).</param>
/// <param name="Redact">Headers, JSON property names or JSON paths whose values examples never show.</param>
/// <param name="MaxBodyBytes">Largest answer body compared; a larger one is counted as not compared.</param>
/// <param name="NoiseBasisPoints">Share of mirrored requests also sent to the primary's cluster a second time, to learn noise.</param>
/// <param name="MaxMemoryBytes">Most bytes of answer bodies the route holds at once; beyond it answers are not compared (counted).</param>
/// <param name="MaxEndpoints">Most endpoints the report keeps; further ones are counted, not kept.</param>
/// <param name="MaxFields">Most fields kept per endpoint; further ones are counted, not kept.</param>
public sealed record MirrorDiffSettings(
    bool Enabled,
    IReadOnlyList<string> Ignore,
    IReadOnlyList<string> Sets,
    IReadOnlyList<string> Headers,
    IReadOnlyList<string> Redact,
    long MaxBodyBytes,
    int NoiseBasisPoints,
    long MaxMemoryBytes,
    int MaxEndpoints,
    int MaxFields)
{
    /// <summary>Default limit of an answer body: 64 KiB.</summary>
    public const long DefaultMaxBodyBytes = 64 * 1024;

    /// <summary>Default memory for answer bodies per route: 16 MiB.</summary>
    public const long DefaultMaxMemoryBytes = 16 * 1024 * 1024;

    /// <summary>Default limit of endpoints per route.</summary>
    public const int DefaultMaxEndpoints = 50;

    /// <summary>Default limit of fields per endpoint.</summary>
    public const int DefaultMaxFields = 50;

    /// <summary>Headers compared when none are configured.</summary>
    public static readonly IReadOnlyList<string> DefaultHeaders = ["content-type"];

    /// <summary>Values never shown in examples unless the operator's list leaves them out: credentials and session cookies.</summary>
    public static readonly IReadOnlyList<string> DefaultRedact =
    [
        "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "www-authenticate",
        "password", "secret", "token", "access_token", "accessToken", "refresh_token", "refreshToken", "api_key", "apiKey",
    ];

    /// <summary>Answers compared with every default: no noise copies, nothing ignored.</summary>
    public static readonly MirrorDiffSettings Default = new(
        true, [], [], DefaultHeaders, DefaultRedact, DefaultMaxBodyBytes, 0, DefaultMaxMemoryBytes, DefaultMaxEndpoints, DefaultMaxFields);

    /// <summary>The noise share in percent.</summary>
    [JsonIgnore]
    public decimal NoisePercentage => Splitting.BasisPoints.ToPercent(NoiseBasisPoints);

    /// <summary>True when both compare the same way (records compare lists by reference).</summary>
    public bool SameAs(MirrorDiffSettings other) =>
        Enabled == other.Enabled && Ignore.SequenceEqual(other.Ignore, StringComparer.Ordinal) && Sets.SequenceEqual(other.Sets, StringComparer.Ordinal)
        && Headers.SequenceEqual(other.Headers, StringComparer.Ordinal) && Redact.SequenceEqual(other.Redact, StringComparer.Ordinal)
        && MaxBodyBytes == other.MaxBodyBytes && NoiseBasisPoints == other.NoiseBasisPoints && MaxMemoryBytes == other.MaxMemoryBytes
        && MaxEndpoints == other.MaxEndpoints && MaxFields == other.MaxFields;

    public override string ToString() => Enabled
        ? $"answers compared (body ≤ {MaxBodyBytes} B, noise {NoisePercentage}%, {Ignore.Count} ignored)"
        : "answers not compared";
}
