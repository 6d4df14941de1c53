using Proxy.Traffic.Health;

namespace Proxy.Traffic.Splitting;

/// <summary>
/// The immutable split of one route at one revision, compiled for the request path. A change builds a new
/// snapshot and swaps it in atomically; readers never lock.
/// </summary>
public sealed class SplitSnapshot
{
    private volatile EffectiveSplit? _effective;

    public SplitSnapshot(string routeId, long revision, SplitDefinition definition)
    {
        RouteId = routeId;
        Revision = revision;
        Definition = definition;
        var clusterIds = definition.Weights.Select(w => w.ClusterId).ToArray();
        ClusterIds = clusterIds;
        StableIndex = Array.IndexOf(clusterIds, definition.Stable);
        if (StableIndex < 0)
        {
            throw new ArgumentException($"Stable cluster '{definition.Stable}' is not part of the split.", nameof(definition));
        }

        Layout = BucketLayout.Create(definition.Weights.Select(w => w.BasisPoints).ToArray(), StableIndex);
    }

    /// <summary>The YARP route id.</summary>
    public string RouteId { get; }

    /// <summary>Monotonic revision of this route's split; the admin API's ETag.</summary>
    public long Revision { get; }

    /// <summary>What the split was built from.</summary>
    public SplitDefinition Definition { get; }

    /// <summary>Cluster ids by index, in configuration order.</summary>
    public IReadOnlyList<string> ClusterIds { get; }

    /// <summary>Index of the stable cluster in <see cref="ClusterIds"/>.</summary>
    public int StableIndex { get; }

    /// <summary>Bucket → cluster index for the configured weights.</summary>
    public BucketLayout Layout { get; }

    /// <summary>This split under the breaker states of the last health epoch (a cache kept by <see cref="ClusterHealthRegistry"/>).</summary>
    internal EffectiveSplit? Effective
    {
        get => _effective;
        set => _effective = value;
    }

    /// <summary>Index of a cluster in this split, or -1.</summary>
    public int IndexOf(string clusterId)
    {
        var ids = ClusterIds;
        for (var i = 0; i < ids.Count; i++)
        {
            if (string.Equals(ids[i], clusterId, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Weights and stable, as operators read them in logs.</summary>
    public override string ToString() =>
        string.Join(", ", Definition.Weights.Select(w => $"{w.ClusterId}={BasisPoints.ToPercent(w.BasisPoints)}%")) + $" (stable {Definition.Stable})";
}
