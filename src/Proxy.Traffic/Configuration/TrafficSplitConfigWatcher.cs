using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Proxy.Traffic.Health;
using Proxy.Traffic.Splitting;
using Proxy.Traffic.Telemetry;

namespace Proxy.Traffic.Configuration;

/// <summary>
/// Applies the <c>TrafficSplit</c> section at start-up (refusing to start on any error) and on every reload
/// (refusing an invalid file and keeping the last good split in force).
/// </summary>
public sealed partial class TrafficSplitConfigWatcher(
    IConfiguration configuration,
    TrafficSplitConfigReader reader,
    SplitStore store,
    ClusterHealthRegistry health,
    TrafficSplitConfigState state,
    TrafficMetrics metrics,
    TimeProvider timeProvider,
    ILogger<TrafficSplitConfigWatcher> logger) : IHostedService, IDisposable
{
    private readonly Lock _reloadLock = new();
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var config = reader.Read();
        if (!config.IsValid)
        {
            throw new TrafficSplitConfigurationException(config.Errors);
        }

        Apply(config);
        _subscription = ChangeToken.OnChange(configuration.GetReloadToken, Reload);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _subscription?.Dispose();

    /// <summary>Re-reads the section; applies it when valid, otherwise keeps the split in force and says why.</summary>
    public void Reload()
    {
        lock (_reloadLock)
        {
            using var activity = TrafficTelemetry.Source.StartActivity("proxy.config.reload");
            var config = reader.Read();
            activity?.SetTag("proxy.outcome", config.IsValid ? "applied" : "refused");
            metrics.RecordReload(config.IsValid);
            if (!config.IsValid)
            {
                activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, string.Join("; ", config.Errors));
                state.Refused(config.Errors, timeProvider.GetUtcNow());
                LogReloadRefused(logger, config.Errors.Count, string.Join("; ", config.Errors));
                return;
            }

            Apply(config);
        }
    }

    private void Apply(TrafficSplitConfig config)
    {
        health.ConfigureBreakers(config.BreakerDefaults, config.Breakers, config.RoutesByCluster);
        var changes = store.Replace(config.Routes, SplitChangeSource.Config);
        state.Applied(config.ServedByHeader, timeProvider.GetUtcNow());
        foreach (var change in changes)
        {
            if (change.Current is { } current)
            {
                LogSplitApplied(logger, change.RouteId, current.Revision, current);
            }
            else
            {
                LogSplitRemoved(logger, change.RouteId);
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Route {RouteId} split from configuration at revision {Revision}: {Split}")]
    private static partial void LogSplitApplied(ILogger logger, string routeId, long revision, SplitSnapshot split);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Route {RouteId} no longer has a split in configuration")]
    private static partial void LogSplitRemoved(ILogger logger, string routeId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Traffic split configuration reload refused ({Count} errors); the last good split stays in force: {Errors}")]
    private static partial void LogReloadRefused(ILogger logger, int count, string errors);
}
