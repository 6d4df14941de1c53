using System.Collections.Frozen;

namespace Proxy.Traffic.Events;

/// <summary>The kinds of event the stream carries (the SSE <c>event:</c> field and the <c>?kinds=</c> filter).</summary>
public static class ProxyEventKinds
{
    /// <summary>A new split revision: route, revision, source, actor, weights before/after, reason.</summary>
    public const string Split = "split";

    /// <summary>A breaker transition: cluster, from, to, cause.</summary>
    public const string Breaker = "breaker";

    /// <summary>A rollout changed: phase, step, weights, the latest verdict with its figures, the next action and when.</summary>
    public const string Rollout = "rollout";

    /// <summary>A mirror was set or cleared, and every few seconds while it runs, its comparison.</summary>
    public const string Mirror = "mirror";

    /// <summary>The configuration was applied or refused (with the errors).</summary>
    public const string Config = "config";

    /// <summary>A server certificate was renewed or its new file refused.</summary>
    public const string Certificate = "certificate";

    /// <summary>A gateway instance joined the fleet, left it, or became stale or fresh again.</summary>
    public const string Fleet = "fleet";

    /// <summary>Every few seconds, each route's clusters' requests, failures and p99 over that time.</summary>
    public const string Traffic = "traffic";

    /// <summary>Sent (without an id) when the events after the client's <c>Last-Event-ID</c> are no longer all kept.</summary>
    public const string Gap = "gap";

    /// <summary>Every kind a client may ask for.</summary>
    public static readonly FrozenSet<string> All = FrozenSet.Create(StringComparer.Ordinal, Split, Breaker, Rollout, Mirror, Config, Certificate, Fleet, Traffic);
}
