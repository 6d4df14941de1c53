namespace Proxy.Traffic.Mirroring;

/// <summary>
/// A lock-free latency histogram with fixed log-scale buckets (1 ms doubling to ~65 s, then overflow): cheap enough to
/// record on every mirrored request, precise enough to compare two sides' distributions.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>Upper bounds of the buckets in milliseconds; the last bucket holds everything slower.</summary>
    public static readonly IReadOnlyList<double> UpperBoundsMs = [.. Enumerable.Range(0, 17).Select(i => Math.Pow(2, i))];

    private readonly long[] _counts = new long[UpperBoundsMs.Count + 1];

    /// <summary>Counts one observation.</summary>
    public void Record(TimeSpan latency) => Interlocked.Increment(ref _counts[BucketOf(latency.TotalMilliseconds)]);

    /// <summary>Observations per bucket (the last one is the overflow), read without stopping writers.</summary>
    public long[] Snapshot()
    {
        var counts = new long[_counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Interlocked.Read(ref _counts[i]);
        }

        return counts;
    }

    /// <summary>The upper bound (ms) of the bucket holding the given quantile (0–1), or null when nothing was recorded; the overflow reports the last bound.</summary>
    public static double? Quantile(long[] counts, double quantile)
    {
        var total = counts.Sum();
        if (total == 0)
        {
            return null;
        }

        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= Math.Max(rank, 1))
            {
                return UpperBoundsMs[Math.Min(i, UpperBoundsMs.Count - 1)];
            }
        }

        return UpperBoundsMs[^1];
    }

    private static int BucketOf(double milliseconds)
    {
        if (milliseconds <= 1)
        {
            return 0;
        }

        var bucket = (int)Math.Ceiling(Math.Log2(milliseconds));
        return Math.Min(bucket, UpperBoundsMs.Count);
    }
}
