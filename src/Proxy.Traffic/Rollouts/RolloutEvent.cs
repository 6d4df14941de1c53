namespace Proxy.Traffic.Rollouts;

/// <summary>A line of a rollout's own history: a step entered, a pause, a resume, the end and why.</summary>
public sealed record RolloutEvent(DateTimeOffset At, string Message);
