using System.Globalization;
using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.Events;

namespace Proxy.Traffic.Notifications;

/// <summary>What each notification says, in words a person in a chat channel reads at a glance: a summary line and the detail.</summary>
internal static class NotificationText
{
    /// <summary>The longest detail; longer ones (many configuration errors) are cut.</summary>
    public const int MaxDetailLength = 1500;

    private const int ListedErrors = 10;

    public static (string, string?) RolloutStarted(RolloutEventData rollout, bool shared) => (
        Text($"Route {rollout.Route}: rollout {rollout.Id} of {rollout.Candidate} started ({rollout.StepCount} {(rollout.StepCount == 1 ? "step" : "steps")}){LedBy(rollout, shared)}"),
        Join(rollout.LastEvent, Weights(rollout)));

    public static (string, string?) RolloutStep(RolloutEventData rollout, bool shared) => (
        Text($"Route {rollout.Route}: rollout {rollout.Id} at step {rollout.Step + 1} of {rollout.StepCount}, {rollout.Candidate} at {Percent(rollout.Weights.GetValueOrDefault(rollout.Candidate))}{LedBy(rollout, shared)}"),
        Join(Weights(rollout), rollout.NextAction is { } next ? "next: " + next : null));

    public static (string, string?) RolloutWaiting(RolloutEventData rollout, bool shared) => (
        Text($"Route {rollout.Route}: rollout {rollout.Id} of {rollout.Candidate} waiting at step {rollout.Step + 1} of {rollout.StepCount}{LedBy(rollout, shared)}"),
        Join(rollout.LastEvent, rollout.NextAction is { } next ? "next: " + next : null));

    public static (string, string?) RolloutRollingBack(RolloutEventData rollout, bool shared) => (
        Text($"Route {rollout.Route}: rollout {rollout.Id} of {rollout.Candidate} rolling back gradually from step {rollout.Step + 1} of {rollout.StepCount}{LedBy(rollout, shared)}"),
        Join(rollout.LastEvent, Weights(rollout)));

    public static (string, string?) RolloutVerdictFailed(RolloutEventData rollout, VerdictResponse verdict, bool shared) => (
        Text($"Route {rollout.Route}: analysis failed at step {verdict.Step + 1} of {rollout.StepCount} (rollout {rollout.Id} of {rollout.Candidate}){LedBy(rollout, shared)}"),
        $"{verdict.Summary} [{verdict.Candidate.Describe()}; {verdict.Stable.Describe()}]");

    public static (string, string?) RolloutEnded(string name, RolloutEventData rollout, bool shared) => (
        name switch
        {
            NotificationEvents.RolloutPromoted => Text($"Route {rollout.Route}: {rollout.Candidate} promoted to stable (rollout {rollout.Id}){LedBy(rollout, shared)}"),
            NotificationEvents.RolloutRolledBack => Text($"Route {rollout.Route}: rollout {rollout.Id} of {rollout.Candidate} rolled back at step {rollout.Step + 1} of {rollout.StepCount}{LedBy(rollout, shared)}"),
            _ => Text($"Route {rollout.Route}: rollout {rollout.Id} of {rollout.Candidate} aborted at step {rollout.Step + 1} of {rollout.StepCount}{LedBy(rollout, shared)}"),
        },
        Join(rollout.LastEvent, Weights(rollout)));

    public static (string, string?) Breaker(string name, BreakerEventData breaker, string instance)
    {
        var routes = breaker.Routes.Count == 0 ? null : $"route{(breaker.Routes.Count == 1 ? "" : "s")} {string.Join(", ", breaker.Routes)}";
        return name == NotificationEvents.BreakerOpened
            ? (Text($"Cluster {breaker.Cluster}: breaker {(breaker.To == "Isolated" ? "isolated" : "opened")} on instance {instance}; it gets no traffic"), Join(breaker.Cause, routes))
            : (Text($"Cluster {breaker.Cluster}: breaker closed on instance {instance}; traffic flows again"), Join($"was {breaker.From}", routes));
    }

    public static (string, string?) ConfigRefused(ConfigEventData config, string instance)
    {
        var listed = config.Errors.Take(ListedErrors).ToList();
        if (config.Errors.Count > listed.Count)
        {
            listed.Add($"and {config.Errors.Count - listed.Count} more");
        }

        var errors = Text($"{config.Errors.Count} {(config.Errors.Count == 1 ? "error" : "errors")}: {string.Join("; ", listed)}");
        return (Text($"Configuration refused on instance {instance}; the last good configuration stays in force"), Join(config.Source, errors, separator: ": "));
    }

    public static (string, string?) CertificateRefused(CertificateEventData certificate, string instance) => (
        Text($"Certificate {certificate.Name} refused on instance {instance}; the certificate in use stays"),
        certificate.Reason);

    private static string LedBy(RolloutEventData rollout, bool shared) => shared && rollout.Leader is { } leader ? $" (led by {leader})" : "";

    private static string? Weights(RolloutEventData rollout) =>
        rollout.Weights.Count == 0 ? null : "weights: " + string.Join(", ", rollout.Weights.Select(w => $"{w.Key} {Percent(w.Value)}"));

    private static string Percent(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string? Join(string? first, string? second, string separator = "; ")
    {
        var joined = (first, second) switch
        {
            (null, null) => null,
            ({ } one, null) => one,
            (null, { } two) => two,
            ({ } one, { } two) => one + separator + two,
        };
        return joined is { Length: > MaxDetailLength } ? joined[..(MaxDetailLength - 1)] + "…" : joined;
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
