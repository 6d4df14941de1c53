namespace Proxy.Traffic.Rollouts.Webhooks;

/// <summary>
/// The gate ahead of a rollout's next move, persisted with the rollout so that a restarted gateway (or the next leader)
/// goes on waiting: the move it holds, the hooks that already let it pass, and the one it waits on.
/// </summary>
/// <param name="ForStep">The move held: entering this step (0: the first), or promotion when it equals the plan's step count.</param>
/// <param name="Since">When the rollout reached the gate.</param>
/// <param name="Passed">The hooks of this gate that answered 2xx or were approved, in the plan's order.</param>
/// <param name="Hook">The hook waited on; null once every hook of the gate passed.</param>
/// <param name="LastAnswer">That hook's latest answer in words ("answered 403: change freeze"); null before any or for a manual gate.</param>
public sealed record RolloutGate(int ForStep, DateTimeOffset Since, IReadOnlyList<string> Passed, string? Hook, string? LastAnswer)
{
    /// <summary>"the first step", "step 3", "promotion".</summary>
    public string Move(RolloutPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return ForStep == 0 ? "the first step" : ForStep >= plan.Steps.Count ? "promotion" : $"step {ForStep + 1}";
    }
}
