namespace Proxy.Traffic.Rollouts.Coordination;

/// <summary>
/// Who drives each route's rollout when several gateway instances share state: one leader per running rollout, holding an
/// expiring lease that it renews on every tick. The leader alone steps, analyses, promotes and rolls back; an operator's
/// command that reaches another instance is relayed to the leader. A single instance always leads.
/// </summary>
public interface IRolloutCoordination
{
    /// <summary>True when several instances share rollouts (the state is re-read every tick, commands may be relayed).</summary>
    bool IsShared { get; }

    /// <summary>This instance's name in the fleet.</summary>
    string Instance { get; }

    /// <summary>Takes or renews the lease of the route's rollout; false while another instance holds it.</summary>
    Task<bool> TryLeadAsync(string routeId, CancellationToken cancellationToken);

    /// <summary>Gives up the route's lease (when its rollout ended, or at shutdown), so another instance may lead at once.</summary>
    Task ReleaseAsync(string routeId, CancellationToken cancellationToken);

    /// <summary>
    /// Hands <paramref name="command"/> to the instance that leads the route's rollout and waits for its reply; null when
    /// no reply came within <paramref name="timeout"/> (the leader may then still apply it).
    /// </summary>
    Task<RolloutCommandReply?> RelayAsync(string routeId, RolloutCommand command, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>The commands relayed to the leader of the route's rollout, oldest first; each is handed out once.</summary>
    Task<IReadOnlyList<RolloutCommand>> TakeRelayedAsync(string routeId, CancellationToken cancellationToken);

    /// <summary>Answers a relayed command.</summary>
    Task ReplyAsync(RolloutCommand command, RolloutCommandReply reply, CancellationToken cancellationToken);
}
