using Proxy.Traffic.Rollouts.Coordination;

namespace Proxy.Traffic.Rollouts;

/// <summary>
/// The operators' commands on a running rollout. The instance that leads the rollout applies a command at once; any other
/// instance relays it to the leader and answers with the leader's reply.
/// </summary>
public sealed partial class RolloutController
{
    /// <summary>Holds the current step (analysis goes on; time at the step stops counting).</summary>
    public Task<RolloutCommandResult> PauseAsync(string routeId, string actor, CancellationToken cancellationToken) =>
        CommandAsync(routeId, RolloutCommand.Create(RolloutCommandKind.Pause, actor), cancellationToken);

    /// <summary>Goes on after a pause; at a step without pause whose analysis passed, enters the next step.</summary>
    public Task<RolloutCommandResult> ResumeAsync(string routeId, string actor, CancellationToken cancellationToken) =>
        CommandAsync(routeId, RolloutCommand.Create(RolloutCommandKind.Resume, actor), cancellationToken);

    /// <summary>Ends the rollout and sends all traffic back to stable (gradually with the plan's <c>rollback.steps</c>; at once during such a walk).</summary>
    public Task<RolloutCommandResult> AbortAsync(string routeId, string actor, CancellationToken cancellationToken) =>
        CommandAsync(routeId, RolloutCommand.Create(RolloutCommandKind.Abort, actor), cancellationToken);

    /// <summary>Promotes the candidate now, skipping the remaining steps.</summary>
    public Task<RolloutCommandResult> PromoteAsync(string routeId, string actor, CancellationToken cancellationToken) =>
        CommandAsync(routeId, RolloutCommand.Create(RolloutCommandKind.Promote, actor), cancellationToken);

    private async Task<RolloutCommandResult> CommandAsync(string routeId, RolloutCommand command, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await LoadAsync(cancellationToken).ConfigureAwait(false);
            if (_registry.Get(routeId) is not { } latest)
            {
                return new RolloutCommandResult(RolloutCommandOutcome.NoRollout, null);
            }

            if (!latest.IsActive)
            {
                return RolloutCommandResult.Conflict(latest, $"rollout {latest.Id} has ended ({latest.Phase})");
            }

            if (await LeadAsync(latest, cancellationToken).ConfigureAwait(false) is { } rollout)
            {
                return await ApplyAsync(rollout, command).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }

        // Another instance leads this rollout: hand the command over (outside the gate: the leader answers within a tick).
        var reply = await _coordination.RelayAsync(routeId, command, RelayTimeout, cancellationToken).ConfigureAwait(false);
        await _rollouts.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var state = _registry.Get(routeId);
        return reply is null
            ? new RolloutCommandResult(RolloutCommandOutcome.Unavailable, state, $"the instance leading the rollout ({state?.Leader ?? "unknown"}) did not take the command within {RelayTimeout.TotalSeconds:0} s; it was withdrawn")
            : new RolloutCommandResult(reply.Outcome, state, reply.Detail);
    }

    /// <summary>Applies an operator's command to a rollout this instance leads, and saves the result.</summary>
    private async Task<RolloutCommandResult> ApplyAsync(RolloutState rollout, RolloutCommand command)
    {
        if (!rollout.IsActive)
        {
            return RolloutCommandResult.Conflict(rollout, $"rollout {rollout.Id} has ended ({rollout.Phase})");
        }

        if (RecoveryRefusal(rollout, command.Kind) is { } refusal)
        {
            return RolloutCommandResult.Conflict(rollout, refusal);
        }

        var now = _time.GetUtcNow();
        if (command.Kind == RolloutCommandKind.Approve)
        {
            return await ApproveLedAsync(rollout, command, now).ConfigureAwait(false);
        }

        var next = command.Kind switch
        {
            RolloutCommandKind.Pause => Pause(rollout, now, command.Actor),
            RolloutCommandKind.Resume => await ResumeAsync(rollout, now, command.Actor).ConfigureAwait(false),
            RolloutCommandKind.Abort => await _progression.AbortAsync(rollout, now, command.Actor).ConfigureAwait(false),
            _ => await _progression.PromoteAsync(rollout, now, $"promoted by {command.Actor} at step {rollout.Step + 1}").ConfigureAwait(false),
        };
        return RolloutCommandResult.Done(ReferenceEquals(next, rollout) ? rollout : await SaveAsync(next).ConfigureAwait(false));
    }

    private static RolloutState Pause(RolloutState rollout, DateTimeOffset now, string actor) =>
        rollout.Phase == RolloutPhase.Paused
            ? rollout
            : (rollout with { Phase = RolloutPhase.Paused, PausedAt = now }).WithEvent(now, $"paused by {actor}");

    private async Task<RolloutState> ResumeAsync(RolloutState rollout, DateTimeOffset now, string actor)
    {
        if (rollout.AwaitingResume)
        {
            return await _progression.ResumeToNextStepAsync(rollout.WithEvent(now, $"resumed by {actor}"), now).ConfigureAwait(false);
        }

        if (rollout.Phase != RolloutPhase.Paused)
        {
            return rollout;
        }

        var paused = now - (rollout.PausedAt ?? now);
        return (rollout with
        {
            Phase = RolloutPhase.Progressing,
            PausedAt = null,
            InconclusiveSince = null,
            StepStartedAt = rollout.StepStartedAt + paused,
            FleetConfirmation = rollout.FleetConfirmation is { } wait ? wait with { Since = now } : null, // a fresh timeout
        }).WithEvent(now, $"resumed by {actor}");
    }
}
