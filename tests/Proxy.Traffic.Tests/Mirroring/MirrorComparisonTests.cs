using Proxy.Traffic.Admin.Contracts;
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
    public void Each_side_reports_its_latency_quantiles_from_its_own_histogram()
    {
        var comparison = new MirrorComparison();
        for (var i = 0; i < 99; i++)
        {
            comparison.RecordComparison(MirrorResult.Match, 200, TimeSpan.FromMilliseconds(3), 200, TimeSpan.FromMilliseconds(6));
        }

        comparison.RecordComparison(MirrorResult.Match, 200, TimeSpan.FromMilliseconds(900), 200, TimeSpan.FromMilliseconds(1800));

        var response = MirrorComparisonResponse.From(comparison);

        // Bucket bounds: within one bucket (a factor 2^(1/3)) above the recorded latency.
        Assert.InRange(response.Primary.P50Ms!.Value, 3, 3.8);
        Assert.InRange(response.Primary.P99Ms!.Value, 3, 3.8);
        Assert.InRange(response.Mirror.P50Ms!.Value, 6, 7.6);
        Assert.Equal(new Dictionary<string, long> { ["2xx"] = 100 }, response.Mirror.StatusClasses);
        Assert.Null(MirrorComparisonResponse.From(new MirrorComparison()).Primary.P90Ms);
    }
}
