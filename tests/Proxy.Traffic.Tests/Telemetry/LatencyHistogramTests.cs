using Proxy.Traffic.Telemetry;

namespace Proxy.Traffic.Tests.Telemetry;

public class LatencyHistogramTests
{
    [Theory]
    [InlineData(0.1001)]
    [InlineData(0.5)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(42)]
    [InlineData(900)]
    [InlineData(65_000)]
    public void A_latency_lands_in_the_bucket_whose_bounds_hold_it(double milliseconds)
    {
        var bucket = LatencyHistogram.BucketOfMilliseconds(milliseconds);

        Assert.InRange(bucket, 1, LatencyHistogram.BucketCount - 2);
        Assert.True(LatencyHistogram.UpperBoundMilliseconds(bucket - 1) <= milliseconds, $"bucket {bucket} starts above {milliseconds} ms");
        Assert.True(LatencyHistogram.UpperBoundMilliseconds(bucket) > milliseconds, $"bucket {bucket} ends below {milliseconds} ms");
    }

    [Fact]
    public void Latencies_below_the_first_bound_and_beyond_the_last_are_kept_in_the_end_buckets()
    {
        Assert.Equal(0, LatencyHistogram.BucketOfMilliseconds(0));
        Assert.Equal(0, LatencyHistogram.BucketOfMilliseconds(0.05));
        Assert.Equal(LatencyHistogram.BucketCount - 1, LatencyHistogram.BucketOf(TimeSpan.FromHours(1).Ticks, TimeSpan.TicksPerSecond));
    }

    [Fact]
    public void Each_bucket_is_a_third_of_a_doubling_wider_than_the_one_before()
    {
        for (var bucket = 1; bucket < LatencyHistogram.BucketCount - 2; bucket++)
        {
            var ratio = LatencyHistogram.UpperBoundMilliseconds(bucket) / LatencyHistogram.UpperBoundMilliseconds(bucket - 1);
            Assert.Equal(Math.Pow(2, 1.0 / LatencyHistogram.PerOctave), ratio, 9);
        }
    }

    [Fact]
    public void A_recorded_time_span_and_timestamp_ticks_fall_into_the_same_bucket()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(TimeSpan.FromMilliseconds(42));

        var counts = histogram.Snapshot();

        Assert.Equal(1, counts[LatencyHistogram.BucketOf(42 * 1_000_000L, 1_000_000_000)]);
        Assert.Equal(1, counts.Sum());
    }

    [Fact]
    public void Quantiles_are_the_upper_bound_of_the_bucket_holding_the_rank()
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < 98; i++)
        {
            histogram.Record(TimeSpan.FromMilliseconds(3));
        }

        histogram.Record(TimeSpan.FromMilliseconds(900));
        histogram.Record(TimeSpan.FromHours(1));
        var counts = histogram.Snapshot();

        Assert.Equal(LatencyHistogram.UpperBoundMilliseconds(LatencyHistogram.BucketOfMilliseconds(3)), LatencyHistogram.Quantile(counts, 0.5));
        Assert.Equal(LatencyHistogram.UpperBoundMilliseconds(LatencyHistogram.BucketOfMilliseconds(3)), LatencyHistogram.Quantile(counts, 0.98));
        Assert.Equal(LatencyHistogram.UpperBoundMilliseconds(LatencyHistogram.BucketOfMilliseconds(900)), LatencyHistogram.Quantile(counts, 0.99));
        Assert.Equal(LatencyHistogram.UpperBoundMilliseconds(LatencyHistogram.BucketCount - 1), LatencyHistogram.Quantile(counts, 1));
    }

    [Fact]
    public void The_lowest_quantile_is_the_fastest_bucket_that_holds_an_observation()
    {
        var counts = new long[LatencyHistogram.BucketCount];
        counts[LatencyHistogram.BucketOfMilliseconds(20)] = 5;

        Assert.Equal(LatencyHistogram.UpperBoundMilliseconds(LatencyHistogram.BucketOfMilliseconds(20)), LatencyHistogram.Quantile(counts, 0));
    }

    [Fact]
    public void An_empty_histogram_has_no_quantile()
    {
        Assert.Null(LatencyHistogram.Quantile(new LatencyHistogram().Snapshot(), 0.5));
    }

    [Fact]
    public async Task Concurrent_records_are_all_counted()
    {
        var histogram = new LatencyHistogram();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            for (var i = 0; i < 10_000; i++)
            {
                histogram.Record(TimeSpan.FromMilliseconds(5));
            }
        })).ToArray();

        start.SetResult();
        await Task.WhenAll(writers);

        Assert.Equal(40_000, histogram.Snapshot()[LatencyHistogram.BucketOfMilliseconds(5)]);
    }
}
