using Proxy.Traffic.Mirroring;

namespace Proxy.Traffic.Tests.Mirroring;

public class MirrorComparisonTests
{
    [Theory]
    [InlineData(200, 204, false, MirrorResult.Match)]
    [InlineData(200, 500, false, MirrorResult.StatusMismatch)]
    [InlineData(404, 200, false, MirrorResult.StatusMismatch)]
    [InlineData(200, null, false, MirrorResult.MirrorError)]
    [InlineData(200, null, true, MirrorResult.MirrorTimeout)]
    public void Sides_compare_by_status_class(int primary, int? mirror, bool timedOut, MirrorResult expected) =>
        Assert.Equal(expected, MirrorComparison.Compare(primary, mirror, timedOut));

    [Fact]
    public void A_primary_without_an_upstream_answer_is_counted_apart_and_feeds_neither_side()
    {
        var comparison = new MirrorComparison();

        comparison.RecordComparison(MirrorResult.PrimaryNotAnswered, 502, TimeSpan.FromMilliseconds(1), 200, TimeSpan.FromMilliseconds(2));
        comparison.RecordComparison(MirrorResult.Match, 200, TimeSpan.FromMilliseconds(1), 200, TimeSpan.FromMilliseconds(2));

        Assert.Equal((1, 1, 0), (comparison.Count(MirrorResult.PrimaryNotAnswered), comparison.Count(MirrorResult.Match), comparison.Count(MirrorResult.StatusMismatch)));
        Assert.Equal([0, 1, 0, 0, 0, 0], comparison.StatusCounts(mirror: false));
        Assert.Equal([0, 1, 0, 0, 0, 0], comparison.StatusCounts(mirror: true));
    }

    [Fact]
    public async Task Slots_never_exceed_the_limit_under_contention()
    {
        var comparison = new MirrorComparison();
        var taken = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                if (comparison.TryEnter(limit: 3))
                {
                    Interlocked.Increment(ref taken);
                    comparison.Exit();
                }
            }
        })));

        Assert.InRange(comparison.PeakInFlight, 1, 3);
        Assert.Equal(0, comparison.InFlight);
        Assert.True(taken > 0);
    }

    [Fact]
    public void A_full_limit_refuses_until_a_slot_is_released()
    {
        var comparison = new MirrorComparison();
        Assert.True(comparison.TryEnter(2));
        Assert.True(comparison.TryEnter(2));
        Assert.False(comparison.TryEnter(2));
        comparison.Exit();
        Assert.True(comparison.TryEnter(2));
        Assert.Equal(2, comparison.InFlight);
    }

    [Fact]
    public void Latency_quantiles_come_from_log_scale_buckets()
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < 98; i++)
        {
            histogram.Record(TimeSpan.FromMilliseconds(3));
        }

        histogram.Record(TimeSpan.FromMilliseconds(900));
        histogram.Record(TimeSpan.FromHours(1));
        var buckets = histogram.Snapshot();

        Assert.Equal(4, LatencyHistogram.Quantile(buckets, 0.5));
        Assert.Equal(1024, LatencyHistogram.Quantile(buckets, 0.99));
        Assert.Equal(65536, LatencyHistogram.Quantile(buckets, 1));
        Assert.Null(LatencyHistogram.Quantile(new LatencyHistogram().Snapshot(), 0.5));
    }
}
