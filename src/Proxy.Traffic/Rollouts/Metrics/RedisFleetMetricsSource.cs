using Proxy.Traffic.State.Redis;
using Proxy.Traffic.Telemetry;
using StackExchange.Redis;

namespace Proxy.Traffic.Rollouts.Metrics;

/// <summary>
/// The requests of every instance of a fleet that shares a Redis, as each one's <see cref="FleetMetricsPublisher"/>
/// published them: a window is the sum over all instances (this one included) of whole wall-clock seconds. Seconds that
/// have just ended may not be published by every instance yet, so a window ends <see cref="Lag"/> to
/// <see cref="Lag"/> + 1 s before now: the figures read are complete rather than fresh. When Redis cannot be reached
/// a read throws <see cref="Traffic.State.StateUnavailableException"/>: the fleet's figures are unknown and this
/// instance's share is not a verdict on the fleet, so the analysis waits.
/// </summary>
public sealed class RedisFleetMetricsSource(RedisStateConnection connection, TimeProvider time) : IRolloutMetricsSource
{
    /// <summary>
    /// How long after a second ends it is read: one publish interval for every instance to publish it, and a second of
    /// margin for a slot still open when it ended, the round trip and clocks a little apart.
    /// </summary>
    public static readonly TimeSpan Lag = FleetMetricsPublisher.Interval + TimeSpan.FromSeconds(1);

    private static readonly int MaxPeriods = (int)ClusterMetricWindow.History.TotalSeconds;

    /// <inheritdoc />
    public async Task<WindowStats> ReadAsync(string clusterId, TimeSpan window, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(clusterId);
        var last = MetricPeriodClock.PeriodAt(time.GetUtcNow() - Lag) - 1;
        var count = (int)Math.Clamp(Math.Ceiling(window.TotalSeconds), 1, MaxPeriods);
        var published = await connection.CallAsync(async db =>
        {
            var batch = db.CreateBatch();
            var reads = new Task<RedisValue[]>[count];
            for (var i = 0; i < count; i++)
            {
                reads[i] = batch.HashValuesAsync(connection.Keys.Metrics(clusterId, last - count + 1 + i));
            }

            batch.Execute();
            return await Task.WhenAll(reads).ConfigureAwait(false);
        }).ConfigureAwait(false);

        long requests = 0, failures = 0;
        var latency = new long[LatencyHistogram.BucketCount];
        foreach (var instances in published)
        {
            foreach (var counts in instances)
            {
                PublishedMetricCounts.AddTo(counts.ToString(), ref requests, ref failures, latency);
            }
        }

        return new WindowStats(requests, failures, latency);
    }
}
