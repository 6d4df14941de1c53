namespace Proxy.Traffic.Splitting;

/// <summary>
/// Maps the 10,000 buckets of a split onto its clusters so that moving one candidate's weight against the
/// stable cluster only moves users between that candidate and stable.
/// </summary>
/// <remarks>
/// The first candidate grows up from bucket 0 and the second grows down from the top; further candidates
/// stack inwards after them, and stable takes what is left in the middle. Raising a candidate therefore only
/// takes buckets from stable (users already on it stay), and lowering it only hands back the buckets beyond
/// the new cut. With up to two candidates (blue/green/canary) this holds for every candidate.
/// </remarks>
public sealed class BucketLayout
{
    private readonly int[] _segmentEnds;
    private readonly int[] _segmentClusters;

    private BucketLayout(int[] segmentEnds, int[] segmentClusters)
    {
        _segmentEnds = segmentEnds;
        _segmentClusters = segmentClusters;
    }

    /// <summary>Builds the layout for weights (basis points, summing to 10,000) and the index of the stable cluster.</summary>
    public static BucketLayout Create(IReadOnlyList<int> basisPoints, int stableIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stableIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(stableIndex, basisPoints.Count);

        var bottom = new List<(int Weight, int Cluster)>();
        var top = new List<(int Weight, int Cluster)>();
        var candidate = 0;
        for (var i = 0; i < basisPoints.Count; i++)
        {
            if (i == stableIndex)
            {
                continue;
            }

            (candidate++ % 2 == 0 ? bottom : top).Add((basisPoints[i], i));
        }

        var stableWeight = BasisPoints.Total - bottom.Sum(c => c.Weight) - top.Sum(c => c.Weight);
        if (stableWeight < 0 || basisPoints[stableIndex] != stableWeight)
        {
            throw new ArgumentException("Weights must sum to 10,000 basis points.", nameof(basisPoints));
        }

        // Bottom candidates in order from 0, stable in the middle, top candidates from the top down (so reversed here).
        top.Reverse();
        var ordered = bottom.Append((Weight: stableWeight, Cluster: stableIndex)).Concat(top).Where(s => s.Weight > 0).ToArray();
        var ends = new int[ordered.Length];
        var clusters = new int[ordered.Length];
        var end = 0;
        for (var i = 0; i < ordered.Length; i++)
        {
            end += ordered[i].Weight;
            ends[i] = end;
            clusters[i] = ordered[i].Cluster;
        }

        return new BucketLayout(ends, clusters);
    }

    /// <summary>The index of the cluster owning a bucket (0–9,999).</summary>
    public int ClusterFor(int bucket)
    {
        var ends = _segmentEnds;
        for (var i = 0; i < ends.Length; i++)
        {
            if (bucket < ends[i])
            {
                return _segmentClusters[i];
            }
        }

        return _segmentClusters[^1];
    }
}
