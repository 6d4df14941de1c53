using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Rollouts.Webhooks;

namespace Proxy.Traffic.Admin.Contracts;

/// <summary>The gate a rollout waits at: the hook and its type, whether an operator approves it, the move it holds, since when, the hook's latest answer.</summary>
/// <param name="Hook">The hook's name.</param>
/// <param name="Type">Its type: confirm-rollout, pre-rollout, confirm-traffic-increase or confirm-promotion.</param>
/// <param name="Manual">True for a manual gate: <c>POST …/rollouts/current/approve</c> satisfies it.</param>
/// <param name="Before">The move it holds: "the first step", "step 3" or "promotion".</param>
/// <param name="Since">When the rollout reached the gate.</param>
/// <param name="LastAnswer">The hook's latest answer in words, if one came.</param>
/// <param name="Passed">The gate's hooks that already passed.</param>
public sealed record RolloutGateResponse(string Hook, string Type, bool Manual, string Before, DateTimeOffset Since, string? LastAnswer, IReadOnlyList<string> Passed)
{
    /// <summary>The gate of a running rollout held by a hook, or null.</summary>
    public static RolloutGateResponse? From(RolloutState rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        return rollout.IsActive && rollout.Gate is { Hook: { } name } gate && rollout.Plan.Webhooks?.FirstOrDefault(h => h.Name == name) is { } hook
            ? new RolloutGateResponse(hook.Name, hook.Type.Name(), hook.IsManual, gate.Move(rollout.Plan), gate.Since, gate.LastAnswer, gate.Passed)
            : null;
    }

    /// <summary>What the rollout waits for, as <see cref="RolloutResponse.NextAction"/> says it.</summary>
    public string NextAction() =>
        Manual ? $"{Before} once an operator approves the manual gate '{Hook}' (POST …/rollouts/current/approve)"
        : Type == "pre-rollout" ? $"{Before} once the pre-rollout hook '{Hook}' answers 2xx (anything else aborts)"
        : $"{Before} once the {Type} hook '{Hook}' answers 2xx (asked every analysis interval)";
}
