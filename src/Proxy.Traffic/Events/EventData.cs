using Proxy.Traffic.Admin.Contracts;

namespace Proxy.Traffic.Events;

// The data of each event kind, as written to the stream (camelCase JSON). docs/admin-api.md#get-apievents describes them.

/// <summary>A split revision in force on this instance (<c>split</c>); <c>via</c> says <c>remote</c> for another instance's change.</summary>
public sealed record SplitEventData(
    string Route, long? Revision, string Source, string? Via, string? Actor, string? Action, SplitResponse? Before, SplitResponse? After, string? Reason, DateTimeOffset At);

/// <summary>A breaker transition (<c>breaker</c>).</summary>
public sealed record BreakerEventData(string Cluster, IReadOnlyList<string> Routes, string From, string To, string? Cause, DateTimeOffset At);

/// <summary>A rollout saved (<c>rollout</c>): where it stands, its latest verdict with its figures, what comes next and when, the gate it waits at.</summary>
public sealed record RolloutEventData(
    string Route, long Id, string Candidate, string Phase, int Step, int StepCount, IReadOnlyDictionary<string, decimal> Weights,
    VerdictResponse? Verdict, string? NextAction, DateTimeOffset? NextActionAt, string? LastEvent, string? Leader,
    DateTimeOffset? StartedAt = null,
    RolloutGateResponse? Gate = null);

/// <summary>A mirror set or cleared, or its running comparison (<c>mirror</c>; <c>change</c> is <c>set</c>, <c>cleared</c> or <c>running</c>).</summary>
public sealed record MirrorEventData(string Route, string Change, MirrorResponse Mirror);

/// <summary>The configuration applied, or a version refused with its errors (<c>config</c>).</summary>
public sealed record ConfigEventData(string Outcome, DateTimeOffset At, string? Source, IReadOnlyList<string> Errors);

/// <summary>A certificate renewed or its new file refused (<c>certificate</c>).</summary>
public sealed record CertificateEventData(string Name, string Outcome, string? Subject, string? Serial, DateTimeOffset? NotAfter, string? Reason);

/// <summary>An instance joined, left, went stale or fresh (<c>fleet</c>), and how many instances there are now.</summary>
public sealed record FleetEventData(string Instance, string Change, int Instances, DateTimeOffset At);

/// <summary>What a route's clusters did over the last sample interval (<c>traffic</c>).</summary>
public sealed record TrafficEventData(string Route, DateTimeOffset At, double IntervalSeconds, IReadOnlyList<TrafficPoint> Clusters);

/// <summary>One cluster over one sample: requests, failures (5xx and transport errors), p99 (ms, bucket bound).</summary>
public sealed record TrafficPoint(string Cluster, DateTimeOffset At, long Requests, long Failures, double P99Milliseconds);
