using System.Text.Json.Serialization;

namespace Proxy.Traffic.Rollouts.Webhooks;

/// <summary>A webhook as a plan writes it (API body, a route's declared <c>Rollout</c>, a template).</summary>
/// <param name="Name">Unique within the plan: letters, digits, '.', '_' and '-', at most 64.</param>
/// <param name="Type">confirm-rollout, pre-rollout, rollout, confirm-traffic-increase, confirm-promotion, post-rollout or rollback.</param>
/// <param name="Url">Absolute http or https address; leave it out of a confirm-* hook to make it a manual gate.</param>
/// <param name="Timeout">How long one attempt may take, e.g. <c>"00:00:30"</c> (100 ms to 5 minutes, default 10 s).</param>
/// <param name="Metadata">Strings sent in every payload of this hook (at most 20 entries).</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RolloutWebhookRequest(
    string? Name = null,
    string? Type = null,
    string? Url = null,
    TimeSpan? Timeout = null,
    Dictionary<string, string>? Metadata = null);
