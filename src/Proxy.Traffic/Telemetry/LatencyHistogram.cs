namespace Proxy.Traffic.Telemetry;

/// <summary>
/// A lock-free latency histogram over fixed log-scale buckets, the one layout of rollout metric windows and mirror
/// comparisons: bucket 0 holds everything under 100 µs, then each bucket is 2^(1/3) ≈ 1.26 times wider than the one
/// before, so the last one starts near 200 s. Equal bounds everywhere let two histograms be compared bucket by bucket
/// (and this instance's published counts be summed with the fleet's).
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>The number of buckets.</summary>
    public const int BucketCount = 64;

    /// <summary>Buckets per doubling of latency.</summary>
    public const int PerOctave = 3;

    private const double FirstBoundMicroseconds = 100;

    private readonly long[] _counts = new long[BucketCount];

    /// <summary>Counts one observation (no lock, no allocation).</summary>
    public void Record(TimeSpan latency) =>
        Interlocked.Increment(ref _counts[BucketOf(latency.Ticks, TimeSpan.TicksPerSecond)]);

    /// <summary>Observations per bucket, read without stopping writers.</summary>
    public long[] Snapshot()
    {
        var counts = new long[BucketCount];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Interlocked.Read(ref _counts[i]);
        }

        return counts;
    }

    /// <summary>The bucket of a latency given in timestamp ticks of <paramref name="frequency"/> per second (no allocation).</summary>
    public static int BucketOf(long elapsedTicks, long frequency)
    {
        var microseconds = elapsedTicks * 1_000_000.0 / frequency;
        if (microseconds < FirstBoundMicroseconds)
        {
            return 0;
        }

        var index = (int)(Math.Log2(microseconds / FirstBoundMicroseconds) * PerOctave) + 1;
        return index < BucketCount ? index : BucketCount - 1;
    }

    /// <summary>The bucket a latency in milliseconds falls into.</summary>
    public static int BucketOfMilliseconds(double milliseconds) => BucketOf((long)(milliseconds * 1000), 1_000_000);

    /// <summary>The upper bound of a bucket in milliseconds (the last bucket is open: its lower bound is returned).</summary>
    public static double UpperBoundMilliseconds(int bucket) =>
        FirstBoundMicroseconds / 1000.0 * Math.Pow(2, (double)Math.Min(bucket, BucketCount - 2) / PerOctave);

    /// <summary>
    /// The upper bound (ms) of the bucket holding the given quantile (0–1) of <paramref name="counts"/> (observations per
    /// bucket), or null when nothing was counted.
    /// </summary>
    public static double? Quantile(ReadOnlySpan<long> counts, double quantile)
    {
        var total = 0L;
        foreach (var count in counts)
        {
            total += count;
        }

        if (total == 0)
        {
            return null;
        }

        // At least the first observation: quantile 0 is the fastest bucket that holds one.
        var rank = Math.Max((long)Math.Ceiling(quantile * total), 1);
        var seen = 0L;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return UpperBoundMilliseconds(i);
            }
        }

        return UpperBoundMilliseconds(counts.Length - 1);
    }
}
