namespace Proxy.Traffic.Rollouts;

/// <summary>One step of a rollout plan: the candidate's weight, and how long to hold it once its analysis passes.</summary>
/// <param name="BasisPoints">The candidate's weight in basis points (0 for a blue/green preview: override traffic only).</param>
/// <param name="Pause">How long to stay at this step; null waits for a manual resume (except on the last step).</param>
public sealed record RolloutStep(int BasisPoints, TimeSpan? Pause);
