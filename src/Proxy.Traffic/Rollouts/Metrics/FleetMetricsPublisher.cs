using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Proxy.Traffic.State.Redis;
using Proxy.Traffic.Telemetry;
using StackExchange.Redis;

namespace Proxy.Traffic.Rollouts.Metrics;

/// <summary>
/// Publishes this instance's metric windows to the Redis its fleet shares, so that rollout analysis on any instance
/// judges every instance's requests (<see cref="RedisFleetMetricsSource"/>). Every <see cref="Interval"/> it writes each
/// cluster's counts of every wall-clock second that has ended since the last publish, one hash field per instance in a
/// key per cluster and second, expiring after <see cref="TimeToLive"/>: one round trip. The counts of a second are
/// absolute, so a publish is idempotent, and seconds that could not be published while Redis was down are published
/// once it is back (as far back as the windows reach). Without a shared Redis it does nothing. The request path is not
/// involved: it reads the slots the windows already hold.
/// </summary>
public sealed partial class FleetMetricsPublisher : BackgroundService
{
    /// <summary>How often an instance publishes: with the slot length, the lag of the fleet's figures.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>How long a published second is kept: the windows' history, plus the read lag and a margin.</summary>
    public static readonly TimeSpan TimeToLive = ClusterMetricWindow.History + TimeSpan.FromSeconds(30);

    private readonly ClusterMetricWindows _windows;
    private readonly RedisStateConnection? _connection;
    private readonly TimeProvider _time;
    private readonly ILogger<FleetMetricsPublisher> _logger;
    private readonly MetricPeriodClock _clock;
    private readonly long[] _latency = new long[LatencyHistogram.BucketCount];
    private long _nextPeriod = long.MinValue;
    private bool _failing;

    /// <summary>A publisher of <paramref name="windows"/> to <paramref name="connection"/>; one that does nothing when it is null.</summary>
    public FleetMetricsPublisher(ClusterMetricWindows windows, RedisStateConnection? connection, TimeProvider time, ILogger<FleetMetricsPublisher> logger)
    {
        _windows = windows;
        _connection = connection;
        _time = time;
        _logger = logger;
        _clock = new MetricPeriodClock(time);
    }

    /// <summary>
    /// Writes every second that has ended and is not published yet (throws <see cref="Traffic.State.StateUnavailableException"/>
    /// when Redis cannot be reached; those seconds are tried again on the next call). Not thread-safe: one caller.
    /// </summary>
    public async Task PublishAsync()
    {
        if (_connection is null)
        {
            return;
        }

        // The seconds whose slots all closed at least one slot ago: a request whose end was timed just before a slot
        // closed may still be adding itself to it for a moment.
        var current = _clock.CurrentSlot;
        var lastEnded = _clock.PeriodOf(current - 1) - 1;

        // The oldest second whose slots the windows all still hold (an older one would be published in part).
        var oldestHeld = _clock.PeriodOf(current - ClusterMetricWindow.SlotCount + 1) + 1;
        var first = Math.Max(_nextPeriod, oldestHeld);
        var writes = new List<(RedisKey Key, string Counts)>();
        foreach (var (clusterId, window) in _windows.Clusters)
        {
            for (var period = first; period <= lastEnded; period++)
            {
                long requests = 0, failures = 0;
                Array.Clear(_latency);
                for (var slot = _clock.FirstSlotOf(period); slot < _clock.FirstSlotOf(period + 1); slot++)
                {
                    window.AddSlot(slot, ref requests, ref failures, _latency);
                }

                if (requests > 0)
                {
                    writes.Add((_connection.Keys.Metrics(clusterId, period), PublishedMetricCounts.Write(requests, failures, _latency)));
                }
            }
        }

        if (writes.Count > 0)
        {
            var instance = _connection.InstanceName;
            await _connection.CallAsync(async db =>
            {
                var batch = db.CreateBatch();
                var sent = new List<Task>(writes.Count * 2);
                foreach (var (key, counts) in writes)
                {
                    sent.Add(batch.HashSetAsync(key, instance, counts));
                    sent.Add(batch.KeyExpireAsync(key, TimeToLive));
                }

                batch.Execute();
                await Task.WhenAll(sent).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }

        _nextPeriod = Math.Max(_nextPeriod, lastEnded + 1);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_connection is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await PublishAsync().ConfigureAwait(false);
                if (_failing)
                {
                    _failing = false;
                    LogPublishing(_logger);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Redis down, or anything else: the seconds stay unpublished and are tried again on the next tick.
                if (!_failing)
                {
                    _failing = true;
                    LogNotPublished(_logger, ex);
                }
            }
        }
    }

    [LoggerMessage(EventId = EventIds.MetricWindowsNotPublished, Level = LogLevel.Warning, Message = "This instance's metric windows cannot be published to the shared state store; retrying every second")]
    private static partial void LogNotPublished(ILogger logger, Exception exception);

    [LoggerMessage(EventId = EventIds.MetricWindowsPublishing, Level = LogLevel.Information, Message = "Metric windows published again, with the seconds missed while the shared state store was unreachable")]
    private static partial void LogPublishing(ILogger logger);
}
