using System.Globalization;
using Microsoft.Extensions.Logging;
using Proxy.Traffic.Mirroring;
using Proxy.Traffic.Rollouts.Analysis;
using Proxy.Traffic.Rollouts.Analysis.Prometheus;
using Proxy.Traffic.Rollouts.Fleet;
using Proxy.Traffic.Rollouts.Metrics;
using Proxy.Traffic.Splitting;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Rollouts;

/// <summary>
/// Moves one rollout forward in time: runs the analysis when its window has ended, rolls back after
/// <see cref="AnalysisSettings.FailureLimit"/> failed verdicts in a row (or inconclusive ones past the timeout), and
/// leaves a step once its pause has been spent and its latest verdict passed. Any change of the split made outside
/// the rollout aborts it (a dry run, which owns nothing, follows it). Returns the same instance when nothing changed.
/// </summary>
internal sealed partial class RolloutProgression(
    SplitStore store,
    IRolloutMetricsSource metrics,
    RolloutSplitWriter writer,
    ILogger logger,
    MirrorStore? mirrors = null,
    IFleetRevisions? fleet = null,
    Webhooks.RolloutHookCaller? hooks = null,
    MetricCheckRunner? metricChecks = null,
    Health.IClusterOutages? outages = null)
{
    public async Task<RolloutState> AdvanceAsync(RolloutState rollout, DateTimeOffset now)
    {
        if (!store.TryGetSnapshot(rollout.RouteId, out var split))
        {
            return Finish(rollout, now, RolloutPhase.Aborted, "the route's split was removed from the configuration");
        }

        if (split.Revision != rollout.Revision)
        {
            return rollout.Plan.Analysis.DryRun
                ? await FollowSplitAsync(rollout, split, now).ConfigureAwait(false)
                : await AdoptOwnWriteAsync(rollout, split.Revision, now).ConfigureAwait(false) ?? await AbortForOutsideChangeAsync(rollout, now).ConfigureAwait(false);
        }

        if (rollout.Phase == RolloutPhase.RollingBack)
        {
            return await WalkRollbackAsync(rollout, now).ConfigureAwait(false);
        }

        if (rollout.FleetConfirmation is not null && (rollout = await ConfirmFleetAsync(rollout, now).ConfigureAwait(false)).FleetConfirmation is not null)
        {
            return rollout; // the step's analysis window starts once every live instance has its revision in force
        }

        rollout = await AskKillSwitchAsync(rollout, now).ConfigureAwait(false);
        if (rollout.Phase == RolloutPhase.RollingBack)
        {
            return rollout; // a rollback hook began a gradual rollback: no analysis now, which would end the walk before it starts
        }

        if (!rollout.IsActive || rollout.Gate is { ForStep: 0 })
        {
            return rollout.IsActive ? await StartThroughGateAsync(rollout, now).ConfigureAwait(false) : rollout;
        }

        if (now >= rollout.NextAnalysisAt)
        {
            var analysed = await AnalyseAsync(rollout, now).ConfigureAwait(false);
            if (analysed is null)
            {
                return rollout; // the figures cannot be read: no verdict and no step until they can
            }

            rollout = analysed;
            if (!rollout.IsActive)
            {
                return rollout;
            }
        }

        if (rollout.Phase == RolloutPhase.Waiting)
        {
            return await WaitAtGateAsync(rollout, now).ConfigureAwait(false);
        }

        if (rollout.Phase != RolloutPhase.Progressing || !StepDone(rollout, now))
        {
            return rollout;
        }

        if (rollout.AtLastStep)
        {
            return await ThroughGateAsync(rollout, rollout.Plan.Steps.Count, now).ConfigureAwait(false);
        }

        return rollout.CurrentStep.Pause is null && !ResumedToNextStep(rollout)
            ? (rollout with { Phase = RolloutPhase.Paused, AwaitingResume = true }).WithEvent(now, $"step {rollout.Step + 1} passed; it has no pause, so the next step waits for a resume")
            : await ThroughGateAsync(rollout, rollout.Step + 1, now).ConfigureAwait(false);
    }

    /// <summary>Puts step <paramref name="step"/>'s weights in force and starts its clock and analysis window afresh.</summary>
    public async Task<RolloutState> EnterStepAsync(RolloutState rollout, int step, DateTimeOffset now)
    {
        if (rollout.Plan.Analysis.DryRun)
        {
            return EnterDryRunStep(rollout, step, now);
        }

        var weight = rollout.Plan.Steps[step].BasisPoints;
        var message = Text($"step {step + 1} of {rollout.Plan.Steps.Count}: {rollout.Plan.Candidate} at {BasisPoints.ToPercent(weight)}% (rollout {rollout.Id})");
        var (written, ok) = await WriteAsync(rollout, SplitActions.RolloutStep, rollout.Stable, weight, message, now).ConfigureAwait(false);
        if (!ok)
        {
            return written;
        }

        LogStep(logger, rollout.RouteId, message);
        return (AtStep(written, step, now) with { FleetConfirmation = AwaitedFleet(written.Revision, now) }).WithEvent(now, message);
    }

    /// <summary>The rollout at the start of step <paramref name="step"/>: its clock and analysis window start afresh.</summary>
    private static RolloutState AtStep(RolloutState rollout, int step, DateTimeOffset now) => rollout with
    {
        Phase = RolloutPhase.Progressing,
        Step = step,
        StepStartedAt = now,
        NextAnalysisAt = now + rollout.Plan.Analysis.Interval,
        PausedAt = null,
        AwaitingResume = false,
        StepPassed = false,
        InconclusiveSince = null,
        Gate = null,
    };

    /// <summary>Makes the candidate stable with all traffic and ends the rollout as succeeded.</summary>
    public async Task<RolloutState> PromoteAsync(RolloutState rollout, DateTimeOffset now, string why)
    {
        if (rollout.Plan.Analysis.DryRun)
        {
            return WouldPromote(rollout, now, why);
        }

        var reason = Text($"{rollout.Plan.Candidate} promoted to stable (rollout {rollout.Id}): {why}");
        var (written, ok) = await WriteAsync(rollout, SplitActions.RolloutPromote, rollout.Plan.Candidate, BasisPoints.Total, reason, now).ConfigureAwait(false);
        return ok ? Finish(written, now, RolloutPhase.Succeeded, reason) : written;
    }

    /// <summary>Sends all traffic back to the stable cluster the rollout started from and ends it in <paramref name="phase"/>.</summary>
    public async Task<RolloutState> RollbackAsync(RolloutState rollout, DateTimeOffset now, RolloutPhase phase, string why)
    {
        var reason = Text($"rolled back to {rollout.Stable} (rollout {rollout.Id}): {why}");
        var (written, ok) = await WriteAsync(rollout, SplitActions.RolloutRollback, rollout.Stable, 0, reason, now).ConfigureAwait(false);
        return ok ? Finish(written, now, phase, reason) : written;
    }

    /// <summary>
    /// Judges the window that has ended; null when the metrics cannot be read (the fleet's are in a Redis that is down) or
    /// the Prometheus checks have not all answered yet (each within its timeout; the gate is not held meanwhile).
    /// </summary>
    private async Task<RolloutState?> AnalyseAsync(RolloutState rollout, DateTimeOffset now)
    {
        var analysis = rollout.Plan.Analysis;
        // Both are asked before either is awaited, so that hooks and Prometheus queries run at the same time.
        var hookRound = AskRolloutHooks(rollout, now);
        var checks = metricChecks is null ? [] : metricChecks.Poll(rollout);
        if (hookRound is null || checks is null)
        {
            return null; // a rollout hook or a Prometheus query has not answered yet: the verdict waits for it
        }

        WindowStats candidate, stable;
        try
        {
            candidate = await metrics.ReadAsync(rollout.Plan.Candidate, analysis.Interval, CancellationToken.None).ConfigureAwait(false);
            stable = await metrics.ReadAsync(rollout.Stable, analysis.Interval, CancellationToken.None).ConfigureAwait(false);
        }
        catch (StateUnavailableException ex)
        {
            // Judging on this instance's share alone could promote on part of the traffic: wait, and retry next tick.
            LogAnalysisWaiting(logger, rollout.RouteId, ex.Message);
            return null;
        }

        var verdict = WithChecks(
            MetricCheckVerdict.Combine(AnalysisJudge.Judge(
                analysis, now, rollout.Step, rollout.Plan.Candidate, candidate, rollout.Stable, stable, AnswerDiffs(rollout), outages?.OutageOf(rollout.Plan.Candidate)), checks),
            hookRound.Checks);
        rollout = hookRound.Note(rollout.WithVerdict(verdict), now) with { NextAnalysisAt = now + analysis.Interval };
        LogVerdict(logger, rollout.RouteId, verdict.Outcome, verdict.Step + 1, verdict.Summary);
        switch (verdict.Outcome)
        {
            case VerdictOutcome.Pass:
                return rollout with { ConsecutiveFailures = 0, InconclusiveSince = null, StepPassed = true };
            case VerdictOutcome.Fail:
                rollout = rollout with { ConsecutiveFailures = rollout.ConsecutiveFailures + 1, InconclusiveSince = null };
                return rollout.ConsecutiveFailures >= analysis.FailureLimit
                    ? await BeginRollbackAsync(rollout, now, RolloutPhase.RolledBack, Text($"{rollout.ConsecutiveFailures} failed analysis in a row, latest {verdict.Describe()}")).ConfigureAwait(false)
                    : rollout;
            default:
                var since = rollout.InconclusiveSince ?? now - analysis.Interval;
                rollout = rollout with { InconclusiveSince = since };
                if (now - since < analysis.InconclusiveTimeout)
                {
                    return rollout;
                }

                var why = Text($"analysis inconclusive for {now - since:c}, latest {verdict.Describe()}");
                if (analysis.OnInconclusive == InconclusiveAction.Rollback)
                {
                    return await BeginRollbackAsync(rollout, now, RolloutPhase.RolledBack, why).ConfigureAwait(false);
                }

                if (analysis.DryRun)
                {
                    return WouldAct(rollout with { InconclusiveSince = null }, now, "pause", why);
                }

                return rollout.Phase == RolloutPhase.Progressing
                    ? (rollout with { Phase = RolloutPhase.Paused, PausedAt = now }).WithEvent(now, "paused: " + why)
                    : rollout;
        }
    }

    // At a step where the candidate has no weight, its mirror's comparison of answers is what maxDiffRate judges.
    private AnswerDiffFigures? AnswerDiffs(RolloutState rollout)
    {
        if (rollout.Plan.Analysis.MaxDiffRate is null || rollout.CurrentStep.BasisPoints != 0)
        {
            return null;
        }

        if (mirrors is null || !mirrors.TryGet(rollout.RouteId, out var mirror)
            || !string.Equals(mirror.Settings.ClusterId, rollout.Plan.Candidate, StringComparison.OrdinalIgnoreCase))
        {
            return new AnswerDiffFigures(0, 0);
        }

        var (compared, differing) = mirror.Diffs.Rate();
        return new AnswerDiffFigures(compared, differing);
    }

    private static bool StepDone(RolloutState rollout, DateTimeOffset now) =>
        rollout.StepPassed
        && rollout.LastVerdict is { Outcome: VerdictOutcome.Pass } last && last.Step == rollout.Step
        && now - rollout.StepStartedAt >= (rollout.CurrentStep.Pause ?? TimeSpan.Zero);

    private async Task<(RolloutState Rollout, bool Written)> WriteAsync(
        RolloutState rollout, string action, string stable, int candidateBasisPoints, string reason, DateTimeOffset now)
    {
        if (rollout.Plan.Analysis.DryRun)
        {
            throw new InvalidOperationException($"A dry run never writes the split (rollout {rollout.Id} of route {rollout.RouteId}, {action}).");
        }

        var result = await writer.WriteAsync(rollout, action, stable, candidateBasisPoints, reason).ConfigureAwait(false);
        return result.Outcome switch
        {
            SplitUpdateOutcome.Applied or SplitUpdateOutcome.Unchanged => (rollout with { Revision = result.Current!.Revision }, true),
            SplitUpdateOutcome.RevisionMismatch => (await AbortForOutsideChangeAsync(rollout, now).ConfigureAwait(false), false),
            _ => (Finish(rollout, now, RolloutPhase.Aborted, $"the split refused the rollout's change: {result.Detail ?? result.Outcome.ToString()}"), false),
        };
    }

    /// <summary>
    /// When every revision after the rollout's own is a rollout write, the rollout's driver wrote the split and stopped
    /// before it could save the rollout (a crash, or a leader that lost its lease): the rollout takes up the state that
    /// write put in force rather than aborting. Null when another change came in between.
    /// </summary>
    private async Task<RolloutState?> AdoptOwnWriteAsync(RolloutState rollout, long revision, DateTimeOffset now)
    {
        var missed = revision - rollout.Revision;
        if (missed is <= 0 or > 10)
        {
            return null;
        }

        var history = await store.GetHistoryAsync(rollout.RouteId, (int)missed, CancellationToken.None).ConfigureAwait(false);
        if (history.Count != missed || history.Any(h => h.Source != SplitChangeSource.Rollout) || history[0] is not { After: { } after } latest)
        {
            return null;
        }

        var adopted = rollout with { Revision = latest.Revision };
        var found = Text($"revision {latest.Revision} ({latest.Action}) found in force, written for this rollout before its state could be saved");
        if (rollout.Rollback is { } walk)
        {
            return AdoptRollbackWrite(adopted, walk, latest, after, found, now);
        }

        switch (latest.Action)
        {
            case SplitActions.RolloutPromote:
                return Finish(adopted, now, RolloutPhase.Succeeded, $"{rollout.Plan.Candidate} promoted to stable: {found}");
            case SplitActions.RolloutRollback:
                return Finish(adopted, now, RolloutPhase.RolledBack, $"rolled back to {rollout.Stable}: {found}");
        }

        var weight = after.Weights.FirstOrDefault(w => string.Equals(w.ClusterId, rollout.Plan.Candidate, StringComparison.Ordinal)).BasisPoints;
        var step = Enumerable.Range(rollout.Step, rollout.Plan.Steps.Count - rollout.Step).FirstOrDefault(s => rollout.Plan.Steps[s].BasisPoints == weight, -1);
        if (latest.Action != SplitActions.RolloutStep || step < 0)
        {
            return null;
        }

        var message = Text($"step {step + 1} of {rollout.Plan.Steps.Count}: {found}");
        LogStep(logger, rollout.RouteId, message);
        return (adopted with
        {
            Phase = RolloutPhase.Progressing,
            Step = step,
            StepStartedAt = latest.At,
            NextAnalysisAt = latest.At + rollout.Plan.Analysis.Interval,
            PausedAt = null,
            AwaitingResume = false,
            StepPassed = step == rollout.Step && rollout.StepPassed,
            InconclusiveSince = null,
            FleetConfirmation = AwaitedFleet(latest.Revision, now),
            Gate = null,
        }).WithEvent(now, message);
    }

    private async Task<RolloutState> AbortForOutsideChangeAsync(RolloutState rollout, DateTimeOffset now)
    {
        var (latest, change) = await LatestChangeAsync(rollout.RouteId).ConfigureAwait(false);
        var stopped = rollout.Rollback is { } walk ? $"; it stopped the gradual rollback ({walk.Reason})" : "";
        var aborted = Finish(rollout, now, RolloutPhase.Aborted, $"aborted by a change of the split outside the rollout: {change}{stopped}");
        return latest is null ? aborted : aborted with { Revision = latest.Revision };
    }

    /// <summary>The route's latest split revision, and "revision 9: set-weights by ops (api), "hold"".</summary>
    private async Task<(SplitRevision? Latest, string Change)> LatestChangeAsync(string routeId)
    {
        var latest = await store.GetHistoryAsync(routeId, 1, CancellationToken.None).ConfigureAwait(false) is [var newest, ..] ? newest : null;
        var change = latest is null
            ? "the split changed"
            : Text($"revision {latest.Revision}: {latest.Action} by {latest.Actor} ({latest.Source.ToString().ToLowerInvariant()})") + (latest.Reason is { } reason ? $", \"{reason}\"" : "");
        return (latest, change);
    }

    private RolloutState Finish(RolloutState rollout, DateTimeOffset now, RolloutPhase phase, string reason)
    {
        LogFinished(logger, rollout.RouteId, rollout.Id, phase, reason);
        var ended = (rollout with { Phase = phase, PausedAt = null, AwaitingResume = false, Rollback = null, FleetConfirmation = null }).WithEvent(now, reason);
        CallPostRolloutHooks(ended, now);
        return ended;
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = EventIds.RolloutStep, Level = LogLevel.Information, Message = "Route {RouteId}: rollout {Step}")]
    private static partial void LogStep(ILogger logger, string routeId, string step);

    [LoggerMessage(EventId = EventIds.RolloutVerdict, Level = LogLevel.Information, Message = "Route {RouteId}: rollout analysis at step {Step}: {Outcome}, {Summary}")]
    private static partial void LogVerdict(ILogger logger, string routeId, Analysis.VerdictOutcome outcome, int step, string summary);

    [LoggerMessage(EventId = EventIds.RolloutAnalysisWaiting, Level = LogLevel.Debug, Message = "Route {RouteId}: rollout analysis waits, its metrics cannot be read: {Detail}")]
    private static partial void LogAnalysisWaiting(ILogger logger, string routeId, string detail);

    [LoggerMessage(EventId = EventIds.RolloutFinished, Level = LogLevel.Warning, Message = "Route {RouteId}: rollout {RolloutId} ended {Phase}: {Reason}")]
    private static partial void LogFinished(ILogger logger, string routeId, long rolloutId, RolloutPhase phase, string reason);
}
