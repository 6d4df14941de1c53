using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Health;

/// <summary>
/// A split snapshot as it applies under the current breaker states: which clusters take traffic, their
/// breakers and the bucket layout of the effective weights. Cached on the snapshot until a breaker or health
/// state changes, so the request path only compares a number.
/// </summary>
public sealed class EffectiveSplit
{
    internal EffectiveSplit(long epoch, SplitSnapshot snapshot, ClusterBreaker[] breakers)
    {
        Epoch = epoch;
        Breakers = breakers;
        Available = breakers.Select(b => b.AcceptsTraffic).ToArray();
        var configured = snapshot.Definition.Weights.Select(w => w.BasisPoints).ToArray();
        BasisPoints = EffectiveWeights.Compute(configured, snapshot.StableIndex, Available);
        Layout = BasisPoints is null ? null
            : Available.All(a => a) ? snapshot.Layout
            : BucketLayout.Create(BasisPoints, snapshot.StableIndex);
        StableIndex = snapshot.StableIndex;
    }

    /// <summary>The health epoch this was computed at.</summary>
    public long Epoch { get; }

    /// <summary>The breaker of each cluster of the split, by index.</summary>
    internal ClusterBreaker[] Breakers { get; }

    /// <summary>Whether each cluster takes traffic, by index.</summary>
    public IReadOnlyList<bool> Available { get; }

    /// <summary>Effective basis points by index, or null when no cluster is available.</summary>
    public IReadOnlyList<int>? BasisPoints { get; }

    /// <summary>Bucket layout of the effective weights, or null when no cluster is available.</summary>
    public BucketLayout? Layout { get; }

    private int StableIndex { get; }

    /// <summary>
    /// Where a request goes when <paramref name="failed"/> (and <paramref name="alsoFailed"/>, if not -1) cannot take it:
    /// stable, else the available cluster with the most weight; -1 when none.
    /// </summary>
    public int FallbackFor(int failed, int alsoFailed = -1)
    {
        if (StableIndex != failed && StableIndex != alsoFailed && Breakers[StableIndex].AcceptsTraffic)
        {
            return StableIndex;
        }

        var best = -1;
        for (var i = 0; i < Breakers.Length; i++)
        {
            if (i != failed && i != alsoFailed && Breakers[i].AcceptsTraffic && (best < 0 || BasisPoints?[i] > BasisPoints?[best]))
            {
                best = i;
            }
        }

        return best;
    }
}
