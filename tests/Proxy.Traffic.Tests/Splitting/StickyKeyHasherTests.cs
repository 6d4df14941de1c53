using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Tests.Splitting;

public class StickyKeyHasherTests
{
    [Fact]
    public void Same_key_always_lands_in_the_same_bucket()
    {
        Assert.Equal(StickyKeyHasher.BucketOf("user-42"), StickyKeyHasher.BucketOf("user-42"));
    }

    [Fact]
    public void Sequential_keys_spread_evenly_over_the_buckets()
    {
        // 100,000 keys into 10 deciles: each decile should hold about 10%.
        var deciles = new int[10];
        for (var i = 0; i < 100_000; i++)
        {
            deciles[StickyKeyHasher.BucketOf($"user-{i}") / 1000]++;
        }

        Assert.All(deciles, count => Assert.InRange(count, 9_500, 10_500));
    }
}
