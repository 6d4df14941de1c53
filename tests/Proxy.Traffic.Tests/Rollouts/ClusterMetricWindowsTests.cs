using Microsoft.Extensions.Time.Testing;
using Proxy.Traffic.Health;
using Proxy.Traffic.Rollouts.Metrics;

namespace Proxy.Traffic.Tests.Rollouts;

public class ClusterMetricWindowsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

    private long StartedAgo(double milliseconds) => _time.GetTimestamp() - (long)(milliseconds / 1000 * _time.TimestampFrequency);

    [Fact]
    public void Counts_requests_failures_and_latency_of_the_window_only()
    {
        var windows = new ClusterMetricWindows(_time);
        windows.Record("canary", 200, StartedAgo(5));
        _time.Advance(TimeSpan.FromSeconds(30));
        for (var i = 0; i < 100; i++)
        {
            windows.Record("canary", i < 7 ? 503 : 200, StartedAgo(i < 99 ? 5 : 900));
            _time.Advance(TimeSpan.FromMilliseconds(50));
        }

        var stats = windows.Read("canary", TimeSpan.FromSeconds(10));

        Assert.Equal((100, 7), (stats.Requests, stats.Failures));
        Assert.InRange(stats.QuantileMilliseconds(0.5), 5, 6.4);
        Assert.InRange(stats.P99Milliseconds, 5, 6.4);
        Assert.InRange(stats.QuantileMilliseconds(1), 900, 1140);
    }

    [Fact]
    public void Transport_failures_count_as_failures_and_client_aborts_and_gateway_refusals_not_at_all()
    {
        var windows = new ClusterMetricWindows(_time);

        windows.Record("canary", ForwardingOutcome.TransportFailure, StartedAgo(1));
        windows.Record("canary", ForwardingOutcome.ClientAborted, StartedAgo(1));
        windows.Record("canary", ForwardingOutcome.GatewayRefused, StartedAgo(1));
        windows.Record("canary", ForwardingOutcome.NoDestination, StartedAgo(1));
        windows.Record("canary", 404, StartedAgo(1));

        var stats = windows.Read("canary", TimeSpan.FromSeconds(1));
        Assert.Equal((2, 1), (stats.Requests, stats.Failures));
    }

    [Fact]
    public void A_slot_reused_after_the_whole_history_starts_from_zero()
    {
        var windows = new ClusterMetricWindows(_time);
        windows.Record("canary", 500, StartedAgo(1));

        _time.Advance(ClusterMetricWindow.History);
        windows.Record("canary", 200, StartedAgo(1));

        var stats = windows.Read("canary", TimeSpan.FromSeconds(1));
        Assert.Equal((1, 0), (stats.Requests, stats.Failures));
        Assert.Equal(0, windows.Read("unknown", TimeSpan.FromSeconds(1)).Requests);
    }

    [Fact]
    public async Task Concurrent_records_are_all_counted()
    {
        var windows = new ClusterMetricWindows(_time);
        windows.Record("canary", 200, StartedAgo(1)); // claims the slot first

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                windows.Record("canary", 200, StartedAgo(1));
            }
        })));

        Assert.Equal(40_001, windows.Read("canary", TimeSpan.FromSeconds(1)).Requests);
    }
}
