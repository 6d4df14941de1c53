namespace Proxy.Traffic.Rollouts.Metrics;

/// <summary>
/// Where the rollout analysis reads a cluster's requests, failures and latency: this instance's windows alone, or the
/// sum over every instance of a fleet that shares state.
/// </summary>
public interface IRolloutMetricsSource
{
    /// <summary>
    /// What <paramref name="clusterId"/> did over the last <paramref name="window"/> (at most
    /// <see cref="ClusterMetricWindow.History"/>). Throws <see cref="Traffic.State.StateUnavailableException"/> when the
    /// figures cannot be complete, rather than answering with part of them.
    /// </summary>
    Task<WindowStats> ReadAsync(string clusterId, TimeSpan window, CancellationToken cancellationToken);
}
