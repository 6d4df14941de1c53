using Proxy.Traffic.Mirroring.Diffs;

namespace Proxy.Traffic.Mirroring;

/// <summary>A route's mirror in force: its settings, where they come from, and what it has seen since they were applied.</summary>
/// <param name="RouteId">The YARP route id.</param>
/// <param name="Settings">How the route is mirrored.</param>
/// <param name="Source">Where the settings come from.</param>
/// <param name="Since">When these settings were applied (the comparison counts from then).</param>
public sealed record MirroredRoute(string RouteId, MirrorSettings Settings, MirrorSource Source, DateTimeOffset Since)
{
    /// <summary>Counters and latency distributions of both sides.</summary>
    public MirrorComparison Comparison { get; } = new();

    /// <summary>How the two sides' answers differed.</summary>
    public MirrorDiffs Diffs { get; } = new(RouteId, Settings.ClusterId, Settings.Answers);
}
