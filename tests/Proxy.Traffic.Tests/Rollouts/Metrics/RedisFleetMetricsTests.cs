using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Proxy.Traffic.Rollouts.Metrics;
using Proxy.Traffic.State.Redis;
using Proxy.Traffic.State;
using Proxy.Traffic.Telemetry;
using Proxy.Traffic.Tests.State.Redis;

namespace Proxy.Traffic.Tests.Rollouts.Metrics;

/// <summary>
/// Two instances of one fleet (same wall clock, monotonic clocks far apart, as two processes) publish their windows to a
/// real redis-server; the fleet source of either reads the sum. Each test is a fleet of its own (key prefix).
/// </summary>
public sealed class RedisFleetMetricsTests(RedisServer server) : IClassFixture<RedisServer>, IDisposable
{
    // Enough for the second just recorded to end and its last slot, and the one after, to close: publishable.
    private static readonly TimeSpan Publishable = TimeSpan.FromSeconds(1) + (2 * ClusterMetricWindow.SlotLength);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, 370, TimeSpan.Zero));
    private readonly string _prefix = "fleet-" + Guid.NewGuid().ToString("N");
    private readonly RedisConnections _connections = new();

    [Fact]
    public async Task The_fleet_reads_the_sum_of_every_instance_in_the_window()
    {
        var a = Instance("a", timestampOffset: 0);
        var b = Instance("b", timestampOffset: 987_654_321_987);
        for (var i = 0; i < 50; i++)
        {
            a.Record("canary", i < 3 ? 500 : 200, milliseconds: 5);
            b.Record("canary", i < 7 ? 503 : 200, milliseconds: 900);
            b.Record("canary", 200, milliseconds: 900);
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        await PublishAllAsync(a, b);

        var fleet = await a.Source.ReadAsync("canary", TimeSpan.FromSeconds(10), default);
        Assert.Equal((150, 10), (fleet.Requests, fleet.Failures));
        Assert.Equal(50, fleet.Latency[LatencyHistogram.BucketOfMilliseconds(5)]);
        Assert.Equal(100, fleet.Latency[LatencyHistogram.BucketOfMilliseconds(900)]);
        Assert.Equal(fleet.Requests, (await b.Source.ReadAsync("canary", TimeSpan.FromSeconds(10), default)).Requests);
    }

    [Fact]
    public async Task Seconds_before_the_window_are_left_out()
    {
        var a = Instance("a", timestampOffset: 0);
        var b = Instance("b", timestampOffset: 42_000_000);
        a.Record("canary", 500, milliseconds: 5);
        await PublishAllAsync(a, b);
        _time.Advance(TimeSpan.FromSeconds(30));
        b.Record("canary", 200, milliseconds: 5);
        b.Record("canary", 200, milliseconds: 5);

        await PublishAllAsync(a, b);

        Assert.Equal((2, 0), Figures(await a.Source.ReadAsync("canary", TimeSpan.FromSeconds(10), default)));
        Assert.Equal((3, 1), Figures(await a.Source.ReadAsync("canary", TimeSpan.FromMinutes(1), default)));
    }

    [Fact]
    public async Task Only_the_asked_cluster_is_read_whatever_the_case_of_its_id()
    {
        var a = Instance("a", timestampOffset: 0);
        var b = Instance("b", timestampOffset: 7);
        a.Record("canary", 200, milliseconds: 5);
        b.Record("blue", 500, milliseconds: 5);
        b.Record("blue", 200, milliseconds: 5);

        await PublishAllAsync(a, b);

        Assert.Equal((1, 0), Figures(await b.Source.ReadAsync("Canary", TimeSpan.FromSeconds(10), default)));
        Assert.Equal((2, 1), Figures(await b.Source.ReadAsync("blue", TimeSpan.FromSeconds(10), default)));
        Assert.Equal((0, 0), Figures(await b.Source.ReadAsync("green", TimeSpan.FromSeconds(10), default)));
    }

    [Fact]
    public async Task A_second_is_read_only_once_every_instance_has_had_a_publish_interval_to_publish_it()
    {
        var a = Instance("a", timestampOffset: 0);
        a.Record("canary", 200, milliseconds: 5);
        _time.Advance(Publishable);
        await a.Publisher.PublishAsync();

        // Published, but a slower instance may not have published that second yet: not read.
        Assert.Equal(0, (await a.Source.ReadAsync("canary", TimeSpan.FromSeconds(10), default)).Requests);

        _time.Advance(RedisFleetMetricsSource.Lag);
        Assert.Equal(1, (await a.Source.ReadAsync("canary", TimeSpan.FromSeconds(10), default)).Requests);
    }

    [Fact]
    public async Task With_redis_down_reads_fail_as_unavailable_and_the_seconds_missed_are_published_once_it_is_back()
    {
        using var own = new RedisServer();
        var a = Instance("a", timestampOffset: 0, own.Configuration);
        own.Stop();
        a.Record("canary", 200, milliseconds: 5);
        _time.Advance(Publishable);

        await Assert.ThrowsAsync<StateUnavailableException>(a.Publisher.PublishAsync);
        await Assert.ThrowsAsync<StateUnavailableException>(() => a.Source.ReadAsync("canary", TimeSpan.FromSeconds(10), default));

        own.Start();
        await WaitUntilConnectedAsync(a.Connection);
        a.Record("canary", 200, milliseconds: 5);
        _time.Advance(Publishable);
        await a.Publisher.PublishAsync();
        _time.Advance(RedisFleetMetricsSource.Lag);

        Assert.Equal(2, (await a.Source.ReadAsync("canary", TimeSpan.FromSeconds(10), default)).Requests);
    }

    public void Dispose() => _connections.Dispose();

    private static (long Requests, long Failures) Figures(WindowStats stats) => (stats.Requests, stats.Failures);

    /// <summary>Lets the last second end, publishes it from every instance, and waits out the read lag.</summary>
    private static async Task PublishAllAsync(params FleetInstance[] instances)
    {
        instances[0].Time.Advance(Publishable);
        foreach (var instance in instances)
        {
            await instance.Publisher.PublishAsync();
        }

        instances[0].Time.Advance(RedisFleetMetricsSource.Lag);
    }

    private static async Task WaitUntilConnectedAsync(RedisStateConnection connection)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!connection.IsConnected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(connection.IsConnected, "the connection did not come back within 10 s");
    }

    private FleetInstance Instance(string name, long timestampOffset, string? configuration = null)
    {
        var connection = _connections.Open(new RedisStateOptions { Configuration = configuration ?? server.Configuration, KeyPrefix = _prefix, InstanceName = name });
        var time = new OffsetTimestamps(_time, timestampOffset);
        var windows = new ClusterMetricWindows(time);
        return new FleetInstance(
            _time,
            time,
            connection,
            windows,
            new FleetMetricsPublisher(windows, connection, time, NullLogger<FleetMetricsPublisher>.Instance),
            new RedisFleetMetricsSource(connection, time));
    }

    private sealed record FleetInstance(
        FakeTimeProvider Time, TimeProvider Clock, RedisStateConnection Connection, ClusterMetricWindows Windows, FleetMetricsPublisher Publisher, RedisFleetMetricsSource Source)
    {
        public void Record(string cluster, int status, double milliseconds) =>
            Windows.Record(cluster, status, Clock.GetTimestamp() - (long)(milliseconds / 1000 * Clock.TimestampFrequency));
    }
}
