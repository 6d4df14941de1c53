using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Health;

/// <summary>
/// Computes the weights actually applied when some clusters are unavailable: their share goes to stable, or,
/// when stable is unavailable too, to the available clusters in proportion to their weights.
/// </summary>
public static class EffectiveWeights
{
    /// <summary>Effective basis points per cluster, or null when no cluster is available.</summary>
    public static int[]? Compute(IReadOnlyList<int> basisPoints, int stableIndex, IReadOnlyList<bool> available)
    {
        var effective = new int[basisPoints.Count];
        var orphaned = 0;
        var receivers = 0;
        var receiverWeight = 0;
        for (var i = 0; i < effective.Length; i++)
        {
            if (available[i])
            {
                effective[i] = basisPoints[i];
                receivers++;
                receiverWeight += basisPoints[i];
            }
            else
            {
                orphaned += basisPoints[i];
            }
        }

        if (receivers == 0)
        {
            return null;
        }

        if (orphaned == 0)
        {
            return effective;
        }

        if (available[stableIndex])
        {
            effective[stableIndex] += orphaned;
            return effective;
        }

        // Stable is down: share in proportion to weight (equally when every survivor is at 0); rounding goes to the largest.
        var given = 0;
        var largest = -1;
        for (var i = 0; i < effective.Length; i++)
        {
            if (!available[i])
            {
                continue;
            }

            var share = receiverWeight == 0 ? orphaned / receivers : (int)((long)orphaned * basisPoints[i] / receiverWeight);
            effective[i] += share;
            given += share;
            largest = largest < 0 || effective[i] > effective[largest] ? i : largest;
        }

        effective[largest] += orphaned - given;
        return effective;
    }
}
