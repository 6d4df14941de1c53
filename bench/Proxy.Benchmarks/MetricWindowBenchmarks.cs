using BenchmarkDotNet.Attributes;
using Proxy.Traffic.Rollouts.Metrics;

namespace Proxy.Benchmarks;

/// <summary>
/// The rollout metric windows: what every split request pays to record its outcome (lookup of the cluster's window,
/// a few interlocked increments) and what one analysis pays to read a window.
/// </summary>
public class MetricWindowBenchmarks
{
    private readonly ClusterMetricWindows _windows = new(TimeProvider.System);
    private readonly string _cluster = new("shop-canary".AsSpan());
    private long _started;

    [GlobalSetup]
    public void Setup()
    {
        // A window with 30 s of traffic behind it, as at an analysis.
        _started = TimeProvider.System.GetTimestamp();
        for (var i = 0; i < 100_000; i++)
        {
            _windows.Record(_cluster, 200, _started);
        }
    }

    [Benchmark(Description = "ClusterMetricWindows.Record (200)")]
    public void RecordSuccess() => _windows.Record(_cluster, 200, _started);

    [Benchmark(Description = "ClusterMetricWindows.Record (503)")]
    public void RecordFailure() => _windows.Record(_cluster, 503, _started);

    [Benchmark(Description = "ClusterMetricWindows.Read (30 s window)")]
    public WindowStats Read30Seconds() => _windows.Read(_cluster, TimeSpan.FromSeconds(30));
}
