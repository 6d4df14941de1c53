namespace Proxy.Traffic.Splitting;

/// <summary>
/// Draws the random buckets (0 to <see cref="BasisPoints.Total"/> - 1) of splits without stickiness and of mirror
/// sampling: <see cref="Random.Shared"/> in production, a seeded sequence in tests that want the same picks every run.
/// One sealed call and one draw per request, as with <see cref="Random.Shared"/> alone; no allocation.
/// </summary>
public sealed class RandomBucketSource
{
    private readonly Random _random;

    private RandomBucketSource(Random random) => _random = random;

    /// <summary>The source the gateway uses: <see cref="Random.Shared"/>, thread-safe and unseeded.</summary>
    public static RandomBucketSource Shared { get; } = new(Random.Shared);

    /// <summary>A source that draws the same sequence for the same seed, safe to share between concurrent requests.</summary>
    public static RandomBucketSource Seeded(int seed) => new(new LockedRandom(seed));

    /// <summary>The next bucket, uniformly in [0, <see cref="BasisPoints.Total"/>).</summary>
    public int Next() => _random.Next(BasisPoints.Total);

    // A seeded Random is not thread-safe (concurrent calls can corrupt it into returning 0 forever): tests share one.
    private sealed class LockedRandom(int seed) : Random(seed)
    {
        private readonly Lock _lock = new();

        public override int Next(int maxValue)
        {
            lock (_lock)
            {
                return base.Next(maxValue);
            }
        }
    }
}
