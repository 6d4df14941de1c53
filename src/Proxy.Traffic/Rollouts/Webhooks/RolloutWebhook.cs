namespace Proxy.Traffic.Rollouts.Webhooks;

/// <summary>A webhook of a rollout plan: when it is called (<paramref name="Type"/>), where, how long one attempt may take, and what it is told.</summary>
/// <param name="Name">Unique within the plan; names the hook in events, the gate and the payload.</param>
/// <param name="Type">When it is called and what its answer does.</param>
/// <param name="Url">The receiver; null for a manual gate (a confirm-* hook satisfied by <c>POST …/rollouts/current/approve</c>).</param>
/// <param name="Timeout">How long one attempt may take, answer included.</param>
/// <param name="Metadata">Sent as it is in every payload of this hook (test names, change tickets…).</param>
public sealed record RolloutWebhook(string Name, RolloutWebhookType Type, Uri? Url, TimeSpan Timeout, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>The timeout of an attempt when the plan does not say.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>True for a confirm-* hook without url: an operator approves it.</summary>
    public bool IsManual => Url is null;

    /// <summary>"confirm-promotion 'change-board'" or "manual confirm-promotion gate 'cab'", as events name it.</summary>
    public string Describe() => IsManual ? $"manual {Type.Name()} gate '{Name}'" : $"{Type.Name()} hook '{Name}'";
}
