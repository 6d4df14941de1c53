namespace Proxy.Traffic.Rollouts.State;

/// <summary>
/// Durable storage of each route's latest rollout, so that a restarted gateway resumes a rollout at the step it had
/// reached. Implementations must be safe for concurrent use.
/// </summary>
public interface IRolloutStateRepository
{
    /// <summary>The latest rollout of every route that has had one.</summary>
    Task<IReadOnlyList<RolloutState>> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the route's latest rollout with <paramref name="state"/>; durable when the task completes.</summary>
    Task SaveAsync(RolloutState state, CancellationToken cancellationToken);
}
