using Proxy.Traffic.Rollouts.Metrics;
using Proxy.Traffic.Telemetry;

namespace Proxy.Traffic.Tests.Rollouts.Metrics;

public class PublishedMetricCountsTests
{
    [Fact]
    public void Counts_read_back_add_to_what_is_already_summed()
    {
        var latency = new long[LatencyHistogram.BucketCount];
        latency[0] = 3;
        latency[63] = 7;
        var text = PublishedMetricCounts.Write(10, 2, latency);

        long requests = 1, failures = 1;
        var sums = new long[LatencyHistogram.BucketCount];
        sums[63] = 1;
        PublishedMetricCounts.AddTo(text, ref requests, ref failures, sums);

        Assert.Equal("10 2 0:3 63:7", text);
        Assert.Equal((11, 3, 3, 8), (requests, failures, sums[0], sums[63]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("10 2 64:1")]
    [InlineData("10 2 x")]
    public void Text_this_version_did_not_write_is_refused(string text)
    {
        long requests = 0, failures = 0;
        Assert.Throws<FormatException>(() => PublishedMetricCounts.AddTo(text, ref requests, ref failures, new long[LatencyHistogram.BucketCount]));
    }
}
