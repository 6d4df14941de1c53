using Microsoft.Extensions.Logging;
using Proxy.Traffic.Rollouts.Rollback;
using Proxy.Traffic.Splitting;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Rollouts;

/// <summary>
/// Gradual rollback: a plan with <c>rollback.steps</c> walks the candidate down one revision per interval instead of
/// sending all its traffic to stable at once, so stable warms up as it takes the load. The walk is phase
/// <see cref="RolloutPhase.RollingBack"/>: active (an outside change is noticed and stops it), with no analysis and no
/// promotion; it survives a restart or a change of leader, as its state is saved before each weight is written.
/// </summary>
internal sealed partial class RolloutProgression
{
    /// <summary>
    /// The one way a rollout rolls back on its own (failed or inconclusive analysis, an operator's abort, a rollback hook).
    /// A dry run records that it would roll back and goes on. With <c>rollback.steps</c> below the candidate's weight, the
    /// rollout starts walking them (the first is written at the next tick, once this state is saved); otherwise, or when
    /// only 0 lies below (a candidate at 10% with steps [50, 20, 0]), all traffic goes back to stable now.
    /// </summary>
    public async Task<RolloutState> BeginRollbackAsync(RolloutState rollout, DateTimeOffset now, RolloutPhase phase, string why)
    {
        if (rollout.Plan.Analysis.DryRun)
        {
            return WouldAct(rollout with { ConsecutiveFailures = 0, InconclusiveSince = null }, now, "roll back", why);
        }

        var weights = rollout.Plan.Rollback?.Below(CandidateWeight(rollout)) ?? [];
        if (rollout.Phase == RolloutPhase.RollingBack || weights.Count <= 1)
        {
            return await RollbackAsync(rollout, now, phase, why).ConfigureAwait(false);
        }

        var message = Text($"rolling back gradually ({why}): {rollout.Plan.Candidate} through {RollbackPlan.Describe(weights)}, one every {rollout.Plan.Rollback!.Interval:c}");
        LogRollbackStep(logger, rollout.RouteId, message);
        return (rollout with
        {
            Phase = RolloutPhase.RollingBack,
            Rollback = new RollbackWalk(phase, why, weights, 0, now),
            PausedAt = null,
            AwaitingResume = false,
            FleetConfirmation = null,
        }).WithEvent(now, message);
    }

    /// <summary>An operator's abort: a dry run ends without a write; a walk ends now, all traffic on stable; otherwise as <see cref="BeginRollbackAsync"/>.</summary>
    public async Task<RolloutState> AbortAsync(RolloutState rollout, DateTimeOffset now, string actor)
    {
        if (rollout.Plan.Analysis.DryRun)
        {
            return Finish(rollout, now, RolloutPhase.Aborted, $"dry run ended by {actor}; the split was never changed by it");
        }

        return rollout.Rollback is { } walk
            ? await RollbackAsync(rollout, now, RolloutPhase.Aborted, $"aborted by {actor} during the gradual rollback ({walk.Reason}): all traffic to stable at once").ConfigureAwait(false)
            : await BeginRollbackAsync(rollout, now, RolloutPhase.Aborted, $"aborted by {actor}").ConfigureAwait(false);
    }

    /// <summary>Puts the walk's next weight in force once it is due; the last (0) ends the rollout as the walk was begun for.</summary>
    private async Task<RolloutState> WalkRollbackAsync(RolloutState rollout, DateTimeOffset now)
    {
        if (rollout.Rollback is not { } walk)
        {
            return await RollbackAsync(rollout, now, RolloutPhase.RolledBack, "a gradual rollback whose state was lost").ConfigureAwait(false);
        }

        if (now < walk.NextAt)
        {
            return rollout;
        }

        if (walk.AtLast)
        {
            return await RollbackAsync(rollout, now, walk.Outcome, Text($"{walk.Reason}; walked down through {RollbackPlan.Describe(walk.Weights)}")).ConfigureAwait(false);
        }

        var weight = walk.Weights[walk.Next];
        var message = Text($"rollback step {walk.Next + 1} of {walk.Weights.Count}: {rollout.Plan.Candidate} at {BasisPoints.ToPercent(weight)}% (rollout {rollout.Id}): {walk.Reason}");
        var (written, ok) = await WriteAsync(rollout, SplitActions.RolloutRollbackStep, rollout.Stable, weight, message, now).ConfigureAwait(false);
        if (!ok)
        {
            return written;
        }

        LogRollbackStep(logger, rollout.RouteId, message);
        return (written with { Rollback = walk with { Next = walk.Next + 1, NextAt = now + RollbackInterval(rollout) } }).WithEvent(now, message);
    }

    /// <summary>Takes up a walk's own write found in force after a crash between writing it and saving the rollout; null for any other write.</summary>
    private RolloutState? AdoptRollbackWrite(RolloutState adopted, RollbackWalk walk, SplitRevision latest, SplitState after, string found, DateTimeOffset now)
    {
        if (latest.Action == SplitActions.RolloutRollback)
        {
            return Finish(adopted, now, walk.Outcome, $"rolled back to {adopted.Stable} ({walk.Reason}): {found}");
        }

        var weight = after.Weights.FirstOrDefault(w => string.Equals(w.ClusterId, adopted.Plan.Candidate, StringComparison.Ordinal)).BasisPoints;
        var index = Enumerable.Range(walk.Next, walk.Weights.Count - walk.Next).FirstOrDefault(i => walk.Weights[i] == weight, -1);
        if (latest.Action != SplitActions.RolloutRollbackStep || index < 0)
        {
            return null;
        }

        var message = Text($"rollback step {index + 1} of {walk.Weights.Count}: {found}");
        LogRollbackStep(logger, adopted.RouteId, message);
        return (adopted with { Rollback = walk with { Next = index + 1, NextAt = latest.At + RollbackInterval(adopted) } }).WithEvent(now, message);
    }

    private static TimeSpan RollbackInterval(RolloutState rollout) => rollout.Plan.Rollback?.Interval ?? rollout.Plan.Analysis.Interval;

    // The candidate's weight in the split in force (the rollout's own revision), else its step's.
    private int CandidateWeight(RolloutState rollout) =>
        store.TryGetSnapshot(rollout.RouteId, out var split) && split.IndexOf(rollout.Plan.Candidate) >= 0
            ? split.Definition.Weights.First(w => string.Equals(w.ClusterId, rollout.Plan.Candidate, StringComparison.Ordinal)).BasisPoints
            : rollout.CurrentStep.BasisPoints;

    [LoggerMessage(EventId = EventIds.RolloutRollbackStep, Level = LogLevel.Warning, Message = "Route {RouteId}: {Step}")]
    private static partial void LogRollbackStep(ILogger logger, string routeId, string step);
}
