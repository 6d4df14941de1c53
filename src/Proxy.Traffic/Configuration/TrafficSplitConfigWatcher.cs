using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Proxy.Traffic.Experiments;
using Proxy.Traffic.Flags;
using Proxy.Traffic.Health;
using Proxy.Traffic.Mirroring;
using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Splitting;
using Proxy.Traffic.State;
using Proxy.Traffic.Telemetry;

namespace Proxy.Traffic.Configuration;

/// <summary>
/// Applies the <c>TrafficSplit</c> section at start-up (refusing to start on any error) and on every reload
/// (refusing an invalid file and keeping the last good split in force), merged with persisted runtime changes by the store.
/// Once the first configuration is in force, it has <see cref="ConfigurationFileGuard"/> check every new version of a file.
/// </summary>
public sealed partial class TrafficSplitConfigWatcher(
    IConfiguration configuration,
    TrafficSplitConfigReader reader,
    SplitStore store,
    MirrorStore mirrors,
    FlagStore flags,
    ExperimentStore experiments,
    ClusterHealthRegistry health,
    ManualIsolationStore isolations,
    TrafficSplitConfigState state,
    TrafficMetrics metrics,
    RolloutController rollouts,
    ConfigurationFileGuard files,
    TimeProvider timeProvider,
    ILogger<TrafficSplitConfigWatcher> logger,
    Rollouts.Templates.RolloutTemplateStore templates) : IHostedService, IDisposable
{
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private IDisposable? _subscription;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var config = reader.Read();
        if (!config.IsValid)
        {
            throw new TrafficSplitConfigurationException(config.Errors);
        }

        await ApplyAsync(config, cancellationToken).ConfigureAwait(false);
        files.Guard();
        _subscription = ChangeToken.OnChange(configuration.GetReloadToken, () => _ = ReloadAsync());
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        files.Release();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        files.Release();
        _reloadGate.Dispose();
    }

    /// <summary>Re-reads the section; applies it when valid, otherwise keeps the split in force and says why. Never throws.</summary>
    public async Task ReloadAsync()
    {
        // One reload at a time, each reading the file as it is when its turn comes: the last one applies the latest file.
        await _reloadGate.WaitAsync().ConfigureAwait(false);
        try
        {
            using var activity = TrafficTelemetry.Source.StartActivity("proxy.config.reload");
            var config = reader.Read();
            activity?.SetTag("proxy.outcome", config.IsValid ? "applied" : "refused");
            metrics.RecordReload(config.IsValid);
            if (!config.IsValid)
            {
                activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, string.Join("; ", config.Errors));
                Refuse(config.Errors);
                return;
            }

            await ApplyAsync(config, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The state repository could not commit: nothing was swapped in, the last good split stays in force.
            Refuse([$"State: {ex.Message}"]);
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    private void Refuse(IReadOnlyList<string> errors)
    {
        state.Refused(errors, timeProvider.GetUtcNow());
        LogReloadRefused(logger, errors.Count, string.Join("; ", errors));
    }

    private async Task ApplyAsync(TrafficSplitConfig config, CancellationToken cancellationToken)
    {
        health.ConfigureBreakers(config.BreakerDefaults, config.Breakers, config.RoutesByCluster);
        await ApplyPersistedIsolationsAsync(cancellationToken).ConfigureAwait(false);
        var changes = await store.ReplaceAsync(config.Routes, cancellationToken).ConfigureAwait(false);
        await mirrors.ApplyConfiguredAsync(config.Mirrors, cancellationToken).ConfigureAwait(false);
        await flags.ApplyConfiguredAsync(config.Flags, config.RouteIds, cancellationToken).ConfigureAwait(false);
        await experiments.ApplyConfiguredAsync(config.Experiments, cancellationToken).ConfigureAwait(false);
        state.Applied(config.ServedByHeader, timeProvider.GetUtcNow());
        if (store.IsDetached)
        {
            LogAppliedDetached(logger, changes.Count);
        }

        templates.Apply(config.RolloutTemplates);
        await rollouts.StartDeclaredAsync(config.DeclaredRollouts, config.DeclaredRolloutFingerprints, cancellationToken).ConfigureAwait(false);
        foreach (var change in changes)
        {
            if (change.Current is not { } current)
            {
                LogSplitRemoved(logger, change.RouteId);
            }
            else if (change.Source == SplitChangeSource.Restored)
            {
                LogSplitRestored(logger, change.RouteId, current.Revision, current);
            }
            else if (change.Previous is { } previous && !previous.Definition.Weights.SequenceEqual(current.Definition.Weights))
            {
                LogSplitReplaced(logger, change.RouteId, current.Revision, current, previous);
            }
            else
            {
                LogSplitApplied(logger, change.RouteId, current.Revision, current);
            }
        }
    }

    // After the breakers are configured and before traffic: operators' isolations outlive restarts. A reload re-reads them,
    // which also applies an isolation whose cluster the reload brought back.
    private async Task ApplyPersistedIsolationsAsync(CancellationToken cancellationToken)
    {
        IsolationSyncResult applied;
        try
        {
            applied = await isolations.SyncAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StateUnavailableException ex)
        {
            // A shared store that is down: the sync pass applies them once it answers.
            LogIsolationsUnavailable(logger, ex.Message);
            return;
        }

        foreach (var isolation in applied.Isolated)
        {
            LogIsolationRestored(logger, isolation.ClusterId, isolation.Actor, isolation.At, isolation.Description);
        }

        foreach (var clusterId in applied.Lifted)
        {
            LogIsolationLifted(logger, clusterId);
        }
    }

    [LoggerMessage(EventId = EventIds.IsolationRestoredFromState, Level = LogLevel.Warning, Message = "Cluster {ClusterId} kept out of rotation: isolated by {Actor} at {At:O}, restored from the state store ({Reason})")]
    private static partial void LogIsolationRestored(ILogger logger, string clusterId, string actor, DateTimeOffset at, string reason);

    [LoggerMessage(EventId = EventIds.IsolationLiftedFromState, Level = LogLevel.Information, Message = "Cluster {ClusterId}: its manual isolation is no longer in the state store; lifted")]
    private static partial void LogIsolationLifted(ILogger logger, string clusterId);

    [LoggerMessage(EventId = EventIds.IsolationsUnavailable, Level = LogLevel.Warning, Message = "Manual cluster isolations could not be read from the state store; they apply once it answers. {Error}")]
    private static partial void LogIsolationsUnavailable(ILogger logger, string error);

    [LoggerMessage(EventId = EventIds.SplitFromConfiguration, Level = LogLevel.Information, Message = "Route {RouteId} split from configuration at revision {Revision}: {Split}")]
    private static partial void LogSplitApplied(ILogger logger, string routeId, long revision, SplitSnapshot split);

    [LoggerMessage(EventId = EventIds.SplitRestoredFromState, Level = LogLevel.Information, Message = "Route {RouteId} split restored from the state store at revision {Revision}: {Split} (the file's split for it has not changed since it was applied)")]
    private static partial void LogSplitRestored(ILogger logger, string routeId, long revision, SplitSnapshot split);

    [LoggerMessage(EventId = EventIds.SplitReplacedFromConfiguration, Level = LogLevel.Information, Message = "Route {RouteId} split from configuration at revision {Revision}: {Split} (was {Previous})")]
    private static partial void LogSplitReplaced(ILogger logger, string routeId, long revision, SplitSnapshot split, SplitSnapshot previous);

    [LoggerMessage(EventId = EventIds.SplitRemovedFromConfiguration, Level = LogLevel.Information, Message = "Route {RouteId} no longer has a split in configuration")]
    private static partial void LogSplitRemoved(ILogger logger, string routeId);

    [LoggerMessage(EventId = EventIds.SplitsAppliedDetached, Level = LogLevel.Critical, Message = "State repository UNREACHABLE: the configuration file's splits ({Count} routes) are in force WITHOUT the shared runtime changes and are not committed; admin writes answer 503. The gateway converges when the repository is reachable.")]
    private static partial void LogAppliedDetached(ILogger logger, int count);

    [LoggerMessage(EventId = EventIds.SplitReloadRefused, Level = LogLevel.Error, Message = "Traffic split configuration reload refused ({Count} errors); the last good split stays in force: {Errors}")]
    private static partial void LogReloadRefused(ILogger logger, int count, string errors);
}
