using Proxy.Traffic.Rollouts.Coordination;

namespace Proxy.Traffic.Rollouts;

/// <summary>Gates: an operator's approval of a manual gate, and the post-rollout hooks' answers recorded in the ended rollout's events.</summary>
public sealed partial class RolloutController
{
    /// <summary>Satisfies the manual gate (a confirm-* hook without url) the rollout waits at; a conflict when it waits at none.</summary>
    public Task<RolloutCommandResult> ApproveAsync(string routeId, string actor, string? reason, CancellationToken cancellationToken) =>
        CommandAsync(routeId, RolloutCommand.Create(RolloutCommandKind.Approve, actor) with { Reason = reason }, cancellationToken);

    // The approval is saved with the rollout (its gate and events), and the move it held is made at once when it can be.
    private async Task<RolloutCommandResult> ApproveLedAsync(RolloutState rollout, RolloutCommand command, DateTimeOffset now)
    {
        if (_progression.Approve(rollout, command.Actor, command.Reason, now, out var refusal) is not { } approved)
        {
            return RolloutCommandResult.Conflict(rollout, refusal);
        }

        return RolloutCommandResult.Done(await SaveAsync(await _progression.AdvanceAsync(approved, now).ConfigureAwait(false)).ConfigureAwait(false));
    }

    /// <summary>
    /// Records the answers of the post-rollout hooks in their rollout's events, if it is still the route's latest. With
    /// several instances the route's lease is taken first, so that no other instance starts a rollout meanwhile.
    /// </summary>
    private async Task NotePostRolloutCallsAsync(CancellationToken cancellationToken)
    {
        foreach (var call in _hooks?.TakeFinishedAfterRollout() ?? [])
        {
            if (_registry.Get(call.RouteId) is not { IsActive: false } ended || ended.Id != call.RolloutId
                || !await _coordination.TryLeadAsync(call.RouteId, cancellationToken).ConfigureAwait(false))
            {
                continue; // logged and counted by the caller; a newer rollout's history is not the place
            }

            _led.Add(call.RouteId);
            await SaveAsync(ended.WithEvent(_time.GetUtcNow(), $"the {call.Hook.Describe()} {call.Delivery.Describe()}")).ConfigureAwait(false);
        }
    }
}
