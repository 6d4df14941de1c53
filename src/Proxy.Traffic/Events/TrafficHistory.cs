using System.Collections.Concurrent;

namespace Proxy.Traffic.Events;

/// <summary>
/// The last 15 minutes of each cluster's samples (requests, failures, p99 per sample interval), read from the metric
/// windows the split step already fills: the console's charts start from it and follow the <c>traffic</c> events.
/// </summary>
public sealed class TrafficHistory
{
    /// <summary>How far back the history goes.</summary>
    public static readonly TimeSpan Span = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<string, Queue<TrafficPoint>> _clusters = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds a sample and forgets those older than <see cref="Span"/>.</summary>
    public void Add(TrafficPoint point)
    {
        var points = _clusters.GetOrAdd(point.Cluster, _ => new Queue<TrafficPoint>());
        lock (points)
        {
            points.Enqueue(point);
            while (points.Peek().At < point.At - Span)
            {
                points.Dequeue();
            }
        }
    }

    /// <summary>A cluster's samples, oldest first.</summary>
    public IReadOnlyList<TrafficPoint> Of(string clusterId)
    {
        if (!_clusters.TryGetValue(clusterId, out var points))
        {
            return [];
        }

        lock (points)
        {
            return [.. points];
        }
    }
}
