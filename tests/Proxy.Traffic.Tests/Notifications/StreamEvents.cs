using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.Events;
using Proxy.Traffic.Rollouts.Analysis;

namespace Proxy.Traffic.Tests.Notifications;

/// <summary>Events as the real stream publishes them (its JSON), kept by a listener, with rollout payloads to build on.</summary>
internal sealed class StreamEvents : IProxyEventListener
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly List<ProxyEvent> _events = [];

    public StreamEvents() => Hub = new ProxyEventHub(Options.Create(new EventStreamOptions()), new FakeTimeProvider(Start), NullLogger<ProxyEventHub>.Instance, [this]);

    public ProxyEventHub Hub { get; }

    public void OnEvent(ProxyEvent published) => _events.Add(published);

    /// <summary>Publishes <paramref name="data"/> as the stream would and returns the event it became.</summary>
    public ProxyEvent Publish<T>(string kind, IReadOnlyList<string> routes, T data)
    {
        Hub.Publish(kind, routes, data);
        return _events[^1];
    }

    public ProxyEvent Rollout(RolloutEventData data) => Publish(ProxyEventKinds.Rollout, [data.Route], data);

    public ProxyEvent Breaker(string cluster, string from, string to, string? cause = null) =>
        Publish(ProxyEventKinds.Breaker, ["shop"], new BreakerEventData(cluster, ["shop"], from, to, cause, Start));

    /// <summary>Rollout 1 of canary on shop, three steps, as its first save shows it (before its first step is in force).</summary>
    public static RolloutEventData Created(DateTimeOffset? startedAt = null, string? leader = null) => new(
        "shop", 1, "canary", "Progressing", 0, 3, new Dictionary<string, decimal> { ["blue"] = 100, ["canary"] = 0 },
        null, "step 2 (50%) after a passing analysis", null, "started by ops: canary rollout of canary in 3 steps", leader, startedAt ?? Start.AddSeconds(1));

    public static RolloutEventData AtStep(RolloutEventData rollout, int step, decimal canary) => rollout with
    {
        Step = step,
        Weights = new Dictionary<string, decimal> { ["blue"] = 100 - canary, ["canary"] = canary },
        LastEvent = $"step {step + 1} of 3: canary at {canary}% (rollout 1)",
    };

    public static VerdictResponse Verdict(string outcome, int step, int second) => new(
        Start.AddSeconds(second), step, outcome, new ClusterFigures("canary", 120, 0.2, 3.2), new ClusterFigures("blue", 480, 0, 2.9), null,
        outcome == "fail" ? "error rate 20.0% above the limit 5.0%" : "within limits");
}
