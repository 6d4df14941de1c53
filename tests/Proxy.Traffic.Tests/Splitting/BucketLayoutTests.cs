using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Tests.Splitting;

public class BucketLayoutTests
{
    private static int[] Owners(BucketLayout layout) =>
        Enumerable.Range(0, BasisPoints.Total).Select(layout.ClusterFor).ToArray();

    [Fact]
    public void Each_cluster_owns_as_many_buckets_as_its_weight()
    {
        var owners = Owners(BucketLayout.Create([7000, 2500, 500], stableIndex: 0));

        Assert.Equal(7000, owners.Count(o => o == 0));
        Assert.Equal(2500, owners.Count(o => o == 1));
        Assert.Equal(500, owners.Count(o => o == 2));
    }

    [Fact]
    public void Zero_weight_cluster_owns_no_bucket()
    {
        var owners = Owners(BucketLayout.Create([10000, 0, 0], stableIndex: 0));

        Assert.All(owners, o => Assert.Equal(0, o));
    }

    [Theory]
    [InlineData(1)] // first candidate, anchored at the bottom
    [InlineData(2)] // second candidate, anchored at the top
    public void Raising_a_candidate_never_moves_a_user_off_any_candidate(int candidate)
    {
        for (var weight = 0; weight < 5000; weight += 250)
        {
            var before = Owners(Layout(candidate, weight));
            var after = Owners(Layout(candidate, weight + 250));

            for (var bucket = 0; bucket < BasisPoints.Total; bucket++)
            {
                if (before[bucket] != 0)
                {
                    Assert.Equal(before[bucket], after[bucket]);
                }
            }
        }
    }

    [Fact]
    public void Lowering_a_candidate_only_moves_its_users_above_the_new_cut_to_stable()
    {
        var before = Owners(Layout(candidate: 1, weight: 5000));
        var after = Owners(Layout(candidate: 1, weight: 1000));

        var moved = Enumerable.Range(0, BasisPoints.Total).Where(b => before[b] != after[b]).ToArray();
        Assert.Equal(4000, moved.Length);
        Assert.All(moved, b => Assert.Equal((1, 0), (before[b], after[b])));
        Assert.All(moved, b => Assert.True(b >= 1000));
    }

    [Fact]
    public void Weights_not_summing_to_total_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => BucketLayout.Create([5000, 4000], stableIndex: 0));
    }

    // Stable (index 0) gives way to one candidate; the other candidate keeps a fixed 1000.
    private static BucketLayout Layout(int candidate, int weight)
    {
        var other = candidate == 1 ? 2 : 1;
        var weights = new int[3];
        weights[candidate] = weight;
        weights[other] = 1000;
        weights[0] = BasisPoints.Total - weight - 1000;
        return BucketLayout.Create(weights, stableIndex: 0);
    }
}
