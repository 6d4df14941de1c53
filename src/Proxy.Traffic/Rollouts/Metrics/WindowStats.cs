using Proxy.Traffic.Telemetry;

namespace Proxy.Traffic.Rollouts.Metrics;

/// <summary>What one cluster did over a window: requests, failures (5xx and transport errors) and latency by bucket.</summary>
/// <param name="Requests">Requests that got an answer or failed in transport (client aborts are not counted).</param>
/// <param name="Failures">5xx answers and transport errors.</param>
/// <param name="Latency">Requests per <see cref="LatencyHistogram"/> bucket.</param>
public sealed record WindowStats(long Requests, long Failures, long[] Latency)
{
    /// <summary>Failures over requests; 0 with no requests.</summary>
    public double ErrorRate => Requests == 0 ? 0 : (double)Failures / Requests;

    /// <summary>A window with nothing in it.</summary>
    public static WindowStats Empty => new(0, 0, new long[LatencyHistogram.BucketCount]);

    /// <summary>The upper bound (ms) of the bucket holding the given quantile, or 0 with no requests.</summary>
    public double QuantileMilliseconds(double quantile) => LatencyHistogram.Quantile(Latency, quantile) ?? 0;

    /// <summary>The 99th percentile in milliseconds (bucket upper bound).</summary>
    public double P99Milliseconds => QuantileMilliseconds(0.99);
}
