using System.Text.Json.Serialization;

namespace Proxy.Traffic.Rollouts.Webhooks;

/// <summary>When a rollout calls a webhook, and what its answer does (Flagger's vocabulary, spelled as Flagger spells it).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RolloutWebhookType>))]
public enum RolloutWebhookType
{
    /// <summary>Before the first step, asked every interval: the rollout waits until it answers 2xx.</summary>
    [JsonStringEnumMemberName("confirm-rollout")]
    ConfirmRollout,

    /// <summary>Once, before the first step: anything but a 2xx aborts the rollout.</summary>
    [JsonStringEnumMemberName("pre-rollout")]
    PreRollout,

    /// <summary>With every analysis: anything but a 2xx is a failed check of the verdict.</summary>
    [JsonStringEnumMemberName("rollout")]
    Rollout,

    /// <summary>Before each step that raises the candidate's weight: the step waits until it answers 2xx.</summary>
    [JsonStringEnumMemberName("confirm-traffic-increase")]
    ConfirmTrafficIncrease,

    /// <summary>Before promotion: the rollout waits at its last step (analysis and automatic rollback go on).</summary>
    [JsonStringEnumMemberName("confirm-promotion")]
    ConfirmPromotion,

    /// <summary>Once, after the rollout ended (promoted, rolled back or aborted): logged and counted only.</summary>
    [JsonStringEnumMemberName("post-rollout")]
    PostRollout,

    /// <summary>Asked every interval: a 2xx rolls the candidate back at once (an external kill switch).</summary>
    [JsonStringEnumMemberName("rollback")]
    Rollback,
}

/// <summary>The types' names as written in plans, events and metrics.</summary>
public static class RolloutWebhookTypes
{
    private static readonly string[] Names =
        ["confirm-rollout", "pre-rollout", "rollout", "confirm-traffic-increase", "confirm-promotion", "post-rollout", "rollback"];

    /// <summary>Every type's name, in the order a rollout meets them.</summary>
    public static IReadOnlyList<string> All => Names;

    /// <summary>"confirm-promotion".</summary>
    public static string Name(this RolloutWebhookType type) => Names[(int)type];

    /// <summary>The type named exactly so (Flagger's spelling, any case), or null.</summary>
    public static RolloutWebhookType? Parse(string? name)
    {
        var index = Array.FindIndex(Names, n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        return index < 0 ? null : (RolloutWebhookType)index;
    }

    /// <summary>True for the confirm-* types: gates that hold the rollout, and the only ones that may be manual (no url).</summary>
    public static bool IsGate(this RolloutWebhookType type) =>
        type is RolloutWebhookType.ConfirmRollout or RolloutWebhookType.ConfirmTrafficIncrease or RolloutWebhookType.ConfirmPromotion;
}
