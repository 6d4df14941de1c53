using Microsoft.Extensions.Logging;
using Proxy.Traffic.Rollouts.Fleet;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Rollouts;

/// <summary>
/// Fleet-confirmed steps: with several instances, a step written to the shared state is in force on each instance only
/// once that instance has synced it. Its analysis window (and the time at the step) starts when every live instance
/// reports the step's revision, so no verdict is based on a split that is not in force everywhere; past
/// <see cref="Analysis.AnalysisSettings.FleetTimeout"/> the rollout pauses, naming the instances that lag.
/// </summary>
internal sealed partial class RolloutProgression
{
    /// <summary>The wait a step's write starts: none with a single instance.</summary>
    private FleetConfirmation? AwaitedFleet(long revision, DateTimeOffset now) =>
        fleet is { IsShared: true } ? FleetConfirmation.Start(revision, now) : null;

    /// <summary>Reads the fleet's reports: confirmed starts the step's window; otherwise shows who is missing and pauses at the timeout.</summary>
    private async Task<RolloutState> ConfirmFleetAsync(RolloutState rollout, DateTimeOffset now)
    {
        var wait = rollout.FleetConfirmation!;
        if (fleet is not { IsShared: true })
        {
            return rollout with { FleetConfirmation = null };
        }

        IReadOnlyList<InstanceRevision> instances;
        try
        {
            instances = await fleet.ReadAsync(rollout.RouteId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (StateUnavailableException ex)
        {
            LogFleetUnreadable(logger, rollout.RouteId, ex.Message);
            return rollout;
        }

        var missing = instances.Where(i => i.Revision < wait.Revision).OrderBy(i => i.Instance, StringComparer.Ordinal)
            .Select(i => new LaggingInstance(i.Instance, i.Revision, i.Stale)).ToArray();
        var seen = wait with { Confirmed = instances.Count - missing.Length, Live = instances.Count, Missing = missing };
        if (missing.Length == 0)
        {
            var message = Text($"step {rollout.Step + 1} in force on all {seen.Live} instances (revision {wait.Revision}) after {(now - wait.Since).TotalSeconds:0.0} s: its analysis window starts");
            LogFleetConfirmed(logger, rollout.RouteId, message);
            return (rollout with
            {
                FleetConfirmation = null,
                StepStartedAt = now,
                NextAnalysisAt = now + rollout.Plan.Analysis.Interval,
                PausedAt = rollout.PausedAt is null ? null : now, // time at the step counts from here once resumed
            }).WithEvent(now, message);
        }

        var next = rollout;
        if (!seen.SameMissing(wait))
        {
            var waiting = seen.Describe();
            LogFleetWaiting(logger, rollout.RouteId, rollout.Step + 1, waiting);
            next = (rollout with { FleetConfirmation = seen }).WithEvent(now, Text($"step {rollout.Step + 1}: {waiting}"));
        }
        else if (!seen.Missing.SequenceEqual(wait.Missing))
        {
            next = rollout with { FleetConfirmation = seen };
        }

        var timeout = rollout.Plan.Analysis.FleetTimeout ?? Analysis.AnalysisSettings.DefaultFleetTimeout;
        if (rollout.Phase != RolloutPhase.Progressing || now - wait.Since < timeout)
        {
            return next;
        }

        var why = Text($"paused: step {rollout.Step + 1} is not in force on every instance after {timeout:c}, {seen.Describe()}; its analysis has not started. Resume to wait again, or stop a stuck instance (its report expires)");
        LogFleetTimeout(logger, rollout.RouteId, why);
        return (next with { Phase = RolloutPhase.Paused, PausedAt = now }).WithEvent(now, why);
    }

    [LoggerMessage(EventId = EventIds.RolloutFleetWaiting, Level = LogLevel.Information, Message = "Route {RouteId}: rollout step {Step} {Waiting}")]
    private static partial void LogFleetWaiting(ILogger logger, string routeId, int step, string waiting);

    [LoggerMessage(EventId = EventIds.RolloutFleetConfirmed, Level = LogLevel.Information, Message = "Route {RouteId}: rollout {Confirmed}")]
    private static partial void LogFleetConfirmed(ILogger logger, string routeId, string confirmed);

    [LoggerMessage(EventId = EventIds.RolloutFleetTimeout, Level = LogLevel.Warning, Message = "Route {RouteId}: rollout {Reason}")]
    private static partial void LogFleetTimeout(ILogger logger, string routeId, string reason);

    [LoggerMessage(EventId = EventIds.RolloutFleetUnreadable, Level = LogLevel.Debug, Message = "Route {RouteId}: the fleet's reports cannot be read, the step waits: {Detail}")]
    private static partial void LogFleetUnreadable(ILogger logger, string routeId, string detail);
}
