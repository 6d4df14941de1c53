using Proxy.Traffic.Mirroring;
using Proxy.Traffic.Mirroring.Diffs;

namespace Proxy.Traffic.Configuration;

/// <summary>The <c>TrafficSplit:Routes:{id}:Mirror</c> section: copy a share of the route's requests to a cluster and compare its answers.</summary>
public sealed class MirrorOptions
{
    /// <summary>The YARP cluster that receives the copies.</summary>
    public string? Cluster { get; set; }

    /// <summary>Share of the route's eligible requests copied: 0–100, at most two decimals.</summary>
    public decimal? Percentage { get; set; }

    /// <summary>Methods copied; default GET, HEAD and OPTIONS (methods that should have no side effects).</summary>
    public List<string> Methods { get; set; } = [];

    /// <summary>Largest request body copied (bytes, 0–16 MiB); a larger request is not mirrored. Default 64 KiB.</summary>
    public long? MaxBodyBytes { get; set; }

    /// <summary>Most copies in flight for the route (1–10000); beyond it copies are dropped. Default 64.</summary>
    public int? MaxConcurrency { get; set; }

    /// <summary>How long a copy may take (0.1 s – 5 min). Default 5 s.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>How answers are compared: ignored fields, noise share, headers, limits (see docs/mirroring.md).</summary>
    public MirrorDiffRequest? Diff { get; set; }

    /// <summary>The validated options as settings.</summary>
    public MirrorSettings ToSettings() =>
        MirrorSettings.Create(Cluster!, Percentage ?? 0, Methods, MaxBodyBytes, MaxConcurrency, Timeout, MirrorDiffRequest.ToSettings(Diff));
}
