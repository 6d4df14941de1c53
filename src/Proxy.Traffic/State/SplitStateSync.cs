using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Proxy.Traffic.Health;
using Proxy.Traffic.Mirroring;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.State;

/// <summary>
/// Keeps this instance's splits in line with a shared state repository: applies other instances' commits as soon as they
/// are announced, and re-reads on an interval as a safety net for missed messages and reconnects; runtime mirrors and
/// operators' cluster isolations are re-read in the same pass. While the repository is
/// down the splits in force stay (fail static) and the status says stale; when it returns the next pass resyncs.
/// Each pass also leaves this instance's report (applied revisions, breakers) for the fleet view.
/// Does nothing with an unshared repository.
/// </summary>
public sealed partial class SplitStateSync(
    ISplitStateRepository repository,
    SplitStore store,
    MirrorStore mirrors,
    Flags.FlagStore flags,
    Experiments.ExperimentStore experiments,
    ManualIsolationStore isolations,
    SplitStateSyncStatus status,
    LocalInstanceReport report,
    IOptions<SplitStateOptions> options,
    TimeProvider timeProvider,
    ILogger<SplitStateSync> logger) : BackgroundService
{
    // One pending signal is enough: a pass reads every route, so announcements that arrive meanwhile coalesce.
    private readonly Channel<bool> _announcements = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    // Set when the split store found the shared state gone or replaced: the next pass writes this instance's runtime mirrors
    // and manual isolations back if they are gone too.
    private volatile bool _runtimeStateToRebuild;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (repository is not ISplitStateChangeFeed feed)
        {
            return;
        }

        store.Recovered += OnRecovered;
        var subscribed = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!subscribed)
                {
                    await feed.SubscribeAsync(() => _announcements.Writer.TryWrite(true), stoppingToken).ConfigureAwait(false);
                    subscribed = true;
                }

                var wasDetached = store.IsDetached;
                var changes = await store.SyncAsync(stoppingToken).ConfigureAwait(false);
                if (status.Synced(timeProvider.GetUtcNow()) || wasDetached)
                {
                    LogResynced(logger, feed.InstanceName, changes.Count);
                }

                foreach (var change in changes)
                {
                    if (change.Current is { } current)
                    {
                        LogApplied(logger, change.RouteId, current.Revision, current);
                    }
                    else
                    {
                        LogRemoved(logger, change.RouteId);
                    }
                }

                if (_runtimeStateToRebuild)
                {
                    var rebuilt = await mirrors.RebuildAsync(stoppingToken).ConfigureAwait(false);
                    if (rebuilt.Count > 0)
                    {
                        LogMirrorsRebuilt(logger, feed.InstanceName, rebuilt);
                    }

                    // Before the catch-up below, which would otherwise lift every isolation the empty store no longer holds.
                    var rebuiltIsolations = await isolations.RebuildAsync(stoppingToken).ConfigureAwait(false);
                    _runtimeStateToRebuild = false;
                    if (rebuiltIsolations.Count > 0)
                    {
                        LogIsolationsRebuilt(logger, feed.InstanceName, rebuiltIsolations);
                    }
                }

                foreach (var routeId in await mirrors.SyncAsync(stoppingToken).ConfigureAwait(false))
                {
                    LogMirrorApplied(logger, routeId, mirrors.TryGet(routeId, out var mirrored) ? mirrored.Settings.ToString() : "none");
                }

                // Flags (the kill switch) and experiments' stops: re-read on each announcement, so every instance has them within a pass.
                await flags.SyncAsync(stoppingToken).ConfigureAwait(false);
                await experiments.SyncAsync(stoppingToken).ConfigureAwait(false);

                var isolationChanges = await isolations.SyncAsync(stoppingToken).ConfigureAwait(false);
                foreach (var isolation in isolationChanges.Isolated)
                {
                    LogIsolationApplied(logger, isolation.ClusterId, isolation.Description);
                }

                foreach (var clusterId in isolationChanges.Lifted)
                {
                    LogIsolationLifted(logger, clusterId);
                }

                if (repository is IInstanceReportStore reports)
                {
                    // Kept a few passes long: an instance that stops reporting drops out of the fleet view.
                    var timeToLive = TimeSpan.FromTicks(Math.Max(options.Value.Redis.ResyncInterval.Ticks * 3, TimeSpan.FromSeconds(5).Ticks));
                    await reports.ReportAsync(report.Build(), timeToLive, stoppingToken).ConfigureAwait(false);
                }

                await WaitForAnnouncementAsync(options.Value.Redis.ResyncInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // Never let a failed pass stop the host: the splits in force stay, the next pass tries again.
                if (status.Failed(ex.Message))
                {
                    if (ex is SplitStateUnavailableException)
                    {
                        LogUnavailable(logger, ex.Message);
                    }
                    else
                    {
                        LogSyncFailed(logger, ex);
                    }
                }

                await WaitForAnnouncementAsync(options.Value.Redis.ResyncInterval, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private void OnRecovered(SplitStateRecovery recovery)
    {
        _runtimeStateToRebuild = true;
        if (recovery.RebuiltHere)
        {
            LogRebuilt(logger, status.Instance, recovery);
        }
        else
        {
            LogReplaced(logger, status.Instance);
        }
    }

    private async Task WaitForAnnouncementAsync(TimeSpan interval, CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var delay = Task.Delay(interval, timeProvider, timeout.Token);
        var announced = _announcements.Reader.WaitToReadAsync(timeout.Token).AsTask();
        await Task.WhenAny(delay, announced).ConfigureAwait(false);
        await timeout.CancelAsync().ConfigureAwait(false);
        _announcements.Reader.TryRead(out _);
        stoppingToken.ThrowIfCancellationRequested();
    }

    [LoggerMessage(EventId = EventIds.SplitFromSharedState, Level = LogLevel.Information, Message = "Route {RouteId} at revision {Revision} from the shared state: {Split}")]
    private static partial void LogApplied(ILogger logger, string routeId, long revision, SplitSnapshot split);

    [LoggerMessage(EventId = EventIds.SplitRemovedInSharedState, Level = LogLevel.Information, Message = "Route {RouteId} split removed in the shared state")]
    private static partial void LogRemoved(ILogger logger, string routeId);

    [LoggerMessage(EventId = EventIds.MirrorFromSharedState, Level = LogLevel.Information, Message = "Route {RouteId} mirror from the shared state: {Mirror}")]
    private static partial void LogMirrorApplied(ILogger logger, string routeId, string mirror);

    [LoggerMessage(EventId = EventIds.SharedStateRebuilt, Level = LogLevel.Critical, Message = "The shared state store lost its state (a Redis restarted without persistence?): instance {Instance} rebuilt it from the splits in force (audit history before the loss is gone): {Recovery}")]
    private static partial void LogRebuilt(ILogger logger, string? instance, SplitStateRecovery recovery);

    [LoggerMessage(EventId = EventIds.SharedStateReplaced, Level = LogLevel.Warning, Message = "The shared state store lost or replaced the state instance {Instance} had synced with, and another instance rebuilt it: taking it as at start-up")]
    private static partial void LogReplaced(ILogger logger, string? instance);

    [LoggerMessage(EventId = EventIds.MirrorsRebuilt, Level = LogLevel.Critical, Message = "The shared state store lost the runtime mirrors: instance {Instance} wrote back those it had in force: {Mirrors}")]
    private static partial void LogMirrorsRebuilt(ILogger logger, string instance, IReadOnlyList<MirrorOverride> mirrors);

    [LoggerMessage(EventId = EventIds.IsolationFromSharedState, Level = LogLevel.Warning, Message = "Cluster {ClusterId} isolated from the shared state: {Reason}")]
    private static partial void LogIsolationApplied(ILogger logger, string clusterId, string reason);

    [LoggerMessage(EventId = EventIds.IsolationLiftedInSharedState, Level = LogLevel.Information, Message = "Cluster {ClusterId} reset in the shared state: its manual isolation is lifted")]
    private static partial void LogIsolationLifted(ILogger logger, string clusterId);

    [LoggerMessage(EventId = EventIds.IsolationsRebuilt, Level = LogLevel.Critical, Message = "The shared state store lost the manual cluster isolations: instance {Instance} wrote back those it had in force: {Isolations}")]
    private static partial void LogIsolationsRebuilt(ILogger logger, string instance, IReadOnlyList<ManualIsolation> isolations);

    [LoggerMessage(EventId = EventIds.SharedStateUnavailable, Level = LogLevel.Warning, Message = "Shared state unreachable: serving the last applied splits (fail static); admin writes answer 503 until it returns. {Error}")]
    private static partial void LogUnavailable(ILogger logger, string error);

    [LoggerMessage(EventId = EventIds.SharedStateSyncFailed, Level = LogLevel.Error, Message = "Catching up with the shared state failed: serving the last applied splits; retrying every pass")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = EventIds.SharedStateResynced, Level = LogLevel.Information, Message = "Shared state reachable: instance {Instance} resynced ({Changes} routes changed)")]
    private static partial void LogResynced(ILogger logger, string instance, int changes);
}
