namespace Proxy.Traffic.Rollouts.Metrics;

/// <summary>
/// The fixed log-scale latency buckets of a metric window: bucket 0 holds everything under 100 µs, then each bucket is
/// 2^(1/3) ≈ 1.26 times wider than the one before, so the last one starts near 200 s. Equal bounds for every cluster
/// let two windows be compared bucket by bucket.
/// </summary>
public static class LatencyBuckets
{
    /// <summary>The number of buckets.</summary>
    public const int Count = 64;

    /// <summary>Buckets per doubling of latency.</summary>
    public const int PerOctave = 3;

    private const double FirstBoundMicroseconds = 100;

    /// <summary>The bucket of a latency given in timestamp ticks of <paramref name="frequency"/> per second (no allocation).</summary>
    public static int IndexOf(long elapsedTicks, long frequency)
    {
        var microseconds = elapsedTicks * 1_000_000.0 / frequency;
        if (microseconds < FirstBoundMicroseconds)
        {
            return 0;
        }

        var index = (int)(Math.Log2(microseconds / FirstBoundMicroseconds) * PerOctave) + 1;
        return index < Count ? index : Count - 1;
    }

    /// <summary>The upper bound of a bucket in milliseconds (the last bucket is open: its lower bound is returned).</summary>
    public static double UpperBoundMilliseconds(int index) =>
        FirstBoundMicroseconds / 1000.0 * Math.Pow(2, (double)Math.Min(index, Count - 2) / PerOctave);

    /// <summary>The bucket a latency in milliseconds falls into.</summary>
    public static int IndexOfMilliseconds(double milliseconds) => IndexOf((long)(milliseconds * 1000), 1_000_000);
}
