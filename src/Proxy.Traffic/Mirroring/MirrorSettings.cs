using System.Collections.Frozen;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Proxy.Traffic.Mirroring.Diffs;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Mirroring;

/// <summary>The mirror of one route as it is applied: target cluster, sampled share, methods and the limits that protect the primary.</summary>
/// <param name="ClusterId">The YARP cluster that receives the copies.</param>
/// <param name="BasisPoints">Share of eligible requests copied, in basis points (0–10000).</param>
/// <param name="Methods">Methods that are copied (upper case, sorted).</param>
/// <param name="MaxBodyBytes">Largest request body copied; a request with a larger body is not mirrored.</param>
/// <param name="MaxConcurrency">Most mirror copies in flight for the route; beyond it copies are dropped, never queued.</param>
/// <param name="Timeout">How long a mirror copy may take before it is cancelled and counted as a timeout.</param>
/// <param name="Diff">How answers are compared; null for the defaults (left out of stored JSON then, as before answers were compared).</param>
public sealed record MirrorSettings(
    string ClusterId,
    int BasisPoints,
    IReadOnlyList<string> Methods,
    long MaxBodyBytes,
    int MaxConcurrency,
    TimeSpan Timeout,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] MirrorDiffSettings? Diff = null)
{
    private readonly FrozenSet<string> _methods = Methods.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Safe methods: copied when no method list is given, because they should have no side effects.</summary>
    public static readonly IReadOnlyList<string> SafeMethods = [HttpMethods.Get, HttpMethods.Head, HttpMethods.Options];

    /// <summary>Default body limit: 64 KiB.</summary>
    public const long DefaultMaxBodyBytes = 64 * 1024;

    /// <summary>Default limit of copies in flight per route.</summary>
    public const int DefaultMaxConcurrency = 64;

    /// <summary>Default timeout of a copy.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Builds settings from validated values, filling the defaults.</summary>
    public static MirrorSettings Create(
        string clusterId, decimal percentage, IEnumerable<string>? methods, long? maxBodyBytes, int? maxConcurrency, TimeSpan? timeout, MirrorDiffSettings? diff = null) => new(
        clusterId,
        Splitting.BasisPoints.FromPercent(percentage),
        [.. (methods?.Any() == true ? methods : SafeMethods).Select(m => m.ToUpperInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
        maxBodyBytes ?? DefaultMaxBodyBytes,
        maxConcurrency ?? DefaultMaxConcurrency,
        timeout ?? DefaultTimeout,
        diff is null || diff.SameAs(MirrorDiffSettings.Default) ? null : diff);

    /// <summary>How answers are compared, defaults filled in.</summary>
    [JsonIgnore]
    public MirrorDiffSettings Answers => Diff ?? MirrorDiffSettings.Default;

    /// <summary>True when requests with this method are copied.</summary>
    public bool Allows(string method) => _methods.Contains(method);

    /// <summary>The share in percent.</summary>
    public decimal Percentage => Splitting.BasisPoints.ToPercent(BasisPoints);

    /// <summary>Equal when both mirror the same way (the methods compared by value, not the list by reference).</summary>
    public bool Equals(MirrorSettings? other) => SameAs(other);

    public override int GetHashCode() => HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(ClusterId), BasisPoints, Methods.Count, MaxBodyBytes, MaxConcurrency, Timeout);

    /// <summary>True when both settings mirror the same way.</summary>
    public bool SameAs(MirrorSettings? other) =>
        other is not null && string.Equals(ClusterId, other.ClusterId, StringComparison.OrdinalIgnoreCase) && BasisPoints == other.BasisPoints
        && Methods.SequenceEqual(other.Methods, StringComparer.Ordinal) && MaxBodyBytes == other.MaxBodyBytes && MaxConcurrency == other.MaxConcurrency && Timeout == other.Timeout
        && Answers.SameAs(other.Answers);

    public override string ToString() =>
        $"{Percentage}% of {string.Join("/", Methods)} to {ClusterId} (body ≤ {MaxBodyBytes} B, ≤ {MaxConcurrency} in flight, timeout {Timeout})";
}
