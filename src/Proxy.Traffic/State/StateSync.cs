using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Proxy.Traffic.State;

/// <summary>
/// Keeps this instance's runtime settings in line with a shared repository: each pass, on every announced commit and every
/// resync interval, has the state store catch up and leaves this instance's report for the fleet view. While the
/// repository is down what is in force stays (fail static) and the status says stale. Does nothing when not shared.
/// </summary>
public sealed partial class StateSync(
    RuntimeStateStore state,
    StateSyncStatus status,
    LocalInstanceReport report,
    IOptions<StateOptions> options,
    TimeProvider timeProvider,
    ILogger<StateSync> logger) : BackgroundService
{
    // One pending signal is enough: a pass reads everything, so announcements that arrive meanwhile coalesce.
    private readonly Channel<bool> _announcements = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var repository = state.Repository;
        if (!repository.IsShared)
        {
            return;
        }

        state.Recovered += OnRecovered;
        var interval = options.Value.Redis.ResyncInterval;

        // Kept a few passes long: an instance that stops reporting drops out of the fleet view.
        var reportLifetime = TimeSpan.FromTicks(Math.Max(interval.Ticks * 3, TimeSpan.FromSeconds(5).Ticks));
        var subscribed = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!subscribed)
                {
                    await repository.SubscribeAsync(() => _announcements.Writer.TryWrite(true), stoppingToken).ConfigureAwait(false);
                    subscribed = true;
                }

                var wasDetached = state.IsDetached;
                var updates = await state.SyncAsync(stoppingToken).ConfigureAwait(false);
                if (status.Synced(timeProvider.GetUtcNow()) || wasDetached)
                {
                    LogResynced(logger, repository.InstanceName, updates.Count);
                }

                foreach (var update in updates)
                {
                    if (update.Current.Value is null)
                    {
                        LogRemoved(logger, update.Key.Kind, update.Key.Id, update.Current.Revision);
                    }
                    else
                    {
                        LogApplied(logger, update.Key.Kind, update.Key.Id, update.Current.Revision);
                    }
                }

                await repository.ReportAsync(report.Build(), reportLifetime, stoppingToken).ConfigureAwait(false);
                await WaitForAnnouncementAsync(interval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // Never let a failed pass stop the host: what is in force stays, the next pass tries again.
                if (status.Failed(ex.Message))
                {
                    if (ex is StateUnavailableException)
                    {
                        LogUnavailable(logger, ex.Message);
                    }
                    else
                    {
                        LogSyncFailed(logger, ex);
                    }
                }

                await WaitForAnnouncementAsync(interval, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private void OnRecovered(StateRecovery recovery)
    {
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

    [LoggerMessage(EventId = EventIds.SettingFromSharedState, Level = LogLevel.Information, Message = "{Kind} {Id} at revision {Revision} from the shared state")]
    private static partial void LogApplied(ILogger logger, string kind, string id, long revision);

    [LoggerMessage(EventId = EventIds.SettingRemovedInSharedState, Level = LogLevel.Information, Message = "{Kind} {Id} removed in the shared state (revision {Revision})")]
    private static partial void LogRemoved(ILogger logger, string kind, string id, long revision);

    [LoggerMessage(EventId = EventIds.SharedStateRebuilt, Level = LogLevel.Critical, Message = "The shared state store lost its state (a Redis restarted without persistence?): instance {Instance} rebuilt it from the settings in force (audit history before the loss is gone): {Recovery}")]
    private static partial void LogRebuilt(ILogger logger, string? instance, StateRecovery recovery);

    [LoggerMessage(EventId = EventIds.SharedStateReplaced, Level = LogLevel.Warning, Message = "The shared state store lost or replaced the state instance {Instance} had synced with, and another instance rebuilt it: taking it as at start-up")]
    private static partial void LogReplaced(ILogger logger, string? instance);

    [LoggerMessage(EventId = EventIds.SharedStateUnavailable, Level = LogLevel.Warning, Message = "Shared state unreachable: serving the last applied settings (fail static); admin writes answer 503 until it returns. {Error}")]
    private static partial void LogUnavailable(ILogger logger, string error);

    [LoggerMessage(EventId = EventIds.SharedStateSyncFailed, Level = LogLevel.Error, Message = "Catching up with the shared state failed: serving the last applied settings; retrying every pass")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = EventIds.SharedStateResynced, Level = LogLevel.Information, Message = "Shared state reachable: instance {Instance} resynced ({Changes} settings changed)")]
    private static partial void LogResynced(ILogger logger, string instance, int changes);
}
