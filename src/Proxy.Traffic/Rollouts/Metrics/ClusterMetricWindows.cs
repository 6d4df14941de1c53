using System.Collections.Concurrent;
using Proxy.Traffic.Health;

namespace Proxy.Traffic.Rollouts.Metrics;

/// <summary>
/// The sliding metric windows of every cluster, fed by the split step with each request's final outcome and read by the
/// rollout analysis. A cluster's window is created on its first request; later records only look it up.
/// </summary>
public sealed class ClusterMetricWindows(TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, ClusterMetricWindow> _windows = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Records a forwarded request from its <see cref="ForwardingOutcome"/> (a status code, or a transport failure) and
    /// the <see cref="TimeProvider.GetTimestamp"/> it started at. Client aborts and the gateway's own refusals say nothing
    /// about the cluster and are skipped.
    /// </summary>
    internal void Record(string clusterId, int outcome, long startTimestamp)
    {
        if (!ForwardingOutcome.IsUpstreamVerdict(outcome))
        {
            return;
        }

        var now = timeProvider.GetTimestamp();
        WindowOf(clusterId).Record(now, now - startTimestamp, ForwardingOutcome.IsFailure(outcome));
    }

    /// <summary>What a cluster did over the last <paramref name="window"/>.</summary>
    public WindowStats Read(string clusterId, TimeSpan window) =>
        _windows.TryGetValue(clusterId, out var found) ? found.Read(timeProvider.GetTimestamp(), window) : WindowStats.Empty;

    /// <summary>Every cluster that has a window (it served a request since start-up), with its window.</summary>
    public IEnumerable<KeyValuePair<string, ClusterMetricWindow>> Clusters => _windows;

    private ClusterMetricWindow WindowOf(string clusterId) =>
        _windows.TryGetValue(clusterId, out var window)
            ? window
            : _windows.GetOrAdd(clusterId, static (_, time) => new ClusterMetricWindow(time), timeProvider);
}
