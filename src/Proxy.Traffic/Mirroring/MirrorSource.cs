namespace Proxy.Traffic.Mirroring;

/// <summary>Where the mirror in force for a route comes from.</summary>
public enum MirrorSource
{
    /// <summary>The route's <c>TrafficSplit:Routes:{id}:Mirror</c> section.</summary>
    Config,

    /// <summary>Set through the admin API (persisted; wins over the file).</summary>
    Api,
}
