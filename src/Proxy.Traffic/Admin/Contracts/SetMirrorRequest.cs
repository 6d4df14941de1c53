using System.Text.Json.Serialization;
using Proxy.Traffic.Mirroring.Diffs;

namespace Proxy.Traffic.Admin.Contracts;

/// <summary>A route's mirror, set at runtime (over the configuration file's).</summary>
/// <param name="Cluster">The cluster that receives the copies.</param>
/// <param name="Percentage">Share of eligible requests copied: 0–100, at most two decimals.</param>
/// <param name="Methods">Methods copied; default GET, HEAD, OPTIONS.</param>
/// <param name="MaxBodyBytes">Largest body copied (0–16 MiB); default 64 KiB.</param>
/// <param name="MaxConcurrency">Most copies in flight (1–10000); default 64.</param>
/// <param name="Timeout">Timeout of a copy, e.g. "00:00:05" (0.1 s – 5 min); default 5 s.</param>
/// <param name="Reason">Why (at most 500 characters); recorded in the audit trail.</param>
/// <param name="Diff">How answers are compared (ignored fields, noise share, headers, limits); defaults when absent.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SetMirrorRequest(
    string? Cluster,
    decimal? Percentage,
    List<string>? Methods,
    long? MaxBodyBytes,
    int? MaxConcurrency,
    TimeSpan? Timeout,
    string? Reason,
    MirrorDiffRequest? Diff = null);
