using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Tests.Splitting;

public class RandomBucketSourceTests
{
    [Fact]
    public void Buckets_cover_the_whole_range_and_stay_inside_it()
    {
        var random = RandomBucketSource.Seeded(1);
        var draws = Enumerable.Range(0, 200_000).Select(_ => random.Next()).ToArray();

        Assert.All(draws, bucket => Assert.InRange(bucket, 0, BasisPoints.Total - 1));
        Assert.Equal(BasisPoints.Total, draws.Distinct().Count());
    }

    [Fact]
    public async Task A_seeded_source_shared_by_concurrent_requests_draws_exactly_its_sequence()
    {
        // An unsynchronised seeded Random used from several threads loses or repeats draws (and can collapse to 0).
        const int PerThread = 100_000;
        var expected = RandomBucketSource.Seeded(3);
        var sequence = Enumerable.Range(0, 4 * PerThread).Select(_ => expected.Next()).Order().ToArray();
        var random = RandomBucketSource.Seeded(3);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var threads = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            var draws = new int[PerThread];
            for (var i = 0; i < draws.Length; i++)
            {
                draws[i] = random.Next();
            }

            return draws;
        })).ToArray();

        start.SetResult();
        var drawn = (await Task.WhenAll(threads)).SelectMany(draws => draws).Order().ToArray();

        Assert.Equal(sequence, drawn);
    }

    [Fact]
    public void The_shared_source_draws_in_range()
    {
        Assert.All(Enumerable.Range(0, 1000), _ => Assert.InRange(RandomBucketSource.Shared.Next(), 0, BasisPoints.Total - 1));
    }
}
