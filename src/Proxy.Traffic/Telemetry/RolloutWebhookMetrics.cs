using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Proxy.Traffic.Telemetry;

/// <summary>
/// <c>proxy.rollout.webhooks</c>: rollout webhook calls by route, hook type and outcome (delivered, refused, timed_out,
/// unreachable). Bounded: the types and outcomes are fixed sets, routes are the configuration's.
/// </summary>
public sealed class RolloutWebhookMetrics
{
    /// <summary>Metric tag: the hook's type (<c>confirm-rollout</c> … <c>rollback</c>).</summary>
    public const string TypeTag = "proxy.webhook.type";

    private readonly Counter<long> _calls;

    public RolloutWebhookMetrics(IMeterFactory meterFactory) =>
        _calls = meterFactory.Create(TrafficTelemetry.MeterName).CreateCounter<long>(
            "proxy.rollout.webhooks",
            "{call}",
            "Rollout webhook calls (after their retries), by route, hook type and outcome: delivered (2xx), refused, timed_out, unreachable.");

    internal void RecordCall(string routeId, string type, string outcome) =>
        _calls.Add(1, new TagList
        {
            { TrafficTelemetry.RouteTag, routeId },
            { TypeTag, type },
            { TrafficTelemetry.OutcomeTag, outcome },
        });
}
