namespace Proxy.Traffic.Rollouts.Metrics;

/// <summary>The requests of this instance only: the source when state is not shared (SQLite, in memory).</summary>
public sealed class LocalRolloutMetricsSource(ClusterMetricWindows windows) : IRolloutMetricsSource
{
    /// <inheritdoc />
    public Task<WindowStats> ReadAsync(string clusterId, TimeSpan window, CancellationToken cancellationToken) =>
        Task.FromResult(windows.Read(clusterId, window));
}
