using System.Collections.Frozen;

namespace Proxy.Traffic.Notifications;

/// <summary>
/// The events a notification webhook can ask for (<c>Notifications:Webhooks:{n}:Events</c>, and the <c>X-Proxy-Event</c>
/// header of each call). The names are a contract: receivers route on them. docs/notifications.md lists them.
/// </summary>
public static class NotificationEvents
{
    /// <summary>A rollout was started.</summary>
    public const string RolloutStarted = "rollout.started";

    /// <summary>A rollout entered a step: its weights are in force.</summary>
    public const string RolloutStep = "rollout.step";

    /// <summary>A rollout waits at a gate (a confirmation hook or a manual approval).</summary>
    public const string RolloutWaiting = "rollout.waiting";

    /// <summary>An analysis verdict failed.</summary>
    public const string RolloutVerdictFailed = "rollout.verdict_failed";

    /// <summary>A gradual rollback began: the candidate walks down the plan's rollback steps (the end is told as rolled back or aborted).</summary>
    public const string RolloutRollingBack = "rollout.rolling_back";

    /// <summary>A rollout was rolled back: all traffic went back to stable.</summary>
    public const string RolloutRolledBack = "rollout.rolled_back";

    /// <summary>A rollout promoted its candidate to stable.</summary>
    public const string RolloutPromoted = "rollout.promoted";

    /// <summary>A rollout was aborted (by an operator, or by a change of the split outside it).</summary>
    public const string RolloutAborted = "rollout.aborted";

    /// <summary>A cluster's breaker opened on this instance (tripped by failures, or isolated).</summary>
    public const string BreakerOpened = "breaker.opened";

    /// <summary>A cluster's breaker closed again on this instance: the cluster gets its traffic back.</summary>
    public const string BreakerClosed = "breaker.closed";

    /// <summary>A new version of the configuration was refused on this instance; the last good one stays in force.</summary>
    public const string ConfigRefused = "config.refused";

    /// <summary>A renewed certificate file was refused on this instance; the certificate in use stays.</summary>
    public const string CertificateRefused = "certificate.refused";

    /// <summary>Every event.</summary>
    public const string Any = "*";

    /// <summary>Every event name, in the order the docs list them.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        RolloutStarted, RolloutStep, RolloutWaiting, RolloutVerdictFailed, RolloutRollingBack, RolloutRolledBack, RolloutPromoted, RolloutAborted,
        BreakerOpened, BreakerClosed, ConfigRefused, CertificateRefused,
    ];

    private static readonly FrozenSet<string> Names = All.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Groups = All.Select(name => name[..name.IndexOf('.')] + ".*").ToFrozenSet(StringComparer.Ordinal);

    /// <summary>True when <paramref name="pattern"/> is an event name, a group (<c>rollout.*</c>) or <c>*</c>.</summary>
    public static bool IsPattern(string pattern) => pattern == Any || Names.Contains(pattern) || Groups.Contains(pattern);

    /// <summary>True when <paramref name="pattern"/> (a name, a group or <c>*</c>) covers <paramref name="name"/>.</summary>
    public static bool Covers(string pattern, string name) =>
        pattern == Any
        || string.Equals(pattern, name, StringComparison.Ordinal)
        || (pattern.EndsWith(".*", StringComparison.Ordinal) && name.StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal));
}
