using System.Text.Json;
using Proxy.Traffic.Events;

namespace Proxy.Traffic.Notifications;

/// <summary>
/// Turns the event stream into notifications, as a subscriber of it. A rollout event comes with every save of the
/// rollout, so its notifications are the transitions since the previous event of the same rollout: started, a new step,
/// waiting at a gate, a new failed verdict, an end — one save gives at most one notification of each kind. A rollout
/// already under way when this instance started is only remembered (a restart announces nothing again), and with several
/// instances only the rollout's leader notifies, so each transition is sent once by the fleet. Breakers, configuration
/// and certificates are each instance's own: every instance notifies its own.
/// </summary>
/// <param name="instance">This instance's name in the fleet (the machine's name when alone).</param>
/// <param name="shared">True when several instances share rollouts: only the leader notifies a rollout's transitions.</param>
/// <param name="since">When this instance started listening: a rollout started before is not announced.</param>
internal sealed class NotificationDeriver(string instance, bool shared, DateTimeOffset since)
{
    // RolloutPhase names, as the stream writes them; Waiting comes with the rollout gates.
    private const string Progressing = "Progressing";
    private const string Waiting = "Waiting";
    private const string RollingBack = "RollingBack";
    private const string Succeeded = "Succeeded";
    private const string RolledBack = "RolledBack";
    private const string Aborted = "Aborted";

    private readonly Dictionary<string, SeenRollout> _rollouts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The notifications <paramref name="event"/> amounts to (most events: none).</summary>
    public IReadOnlyList<Notification> Derive(ProxyEvent @event, string id, DateTimeOffset now) => @event.Kind switch
    {
        ProxyEventKinds.Rollout => Rollout(Read<RolloutEventData>(@event), @event, id, now),
        ProxyEventKinds.Breaker => Breaker(Read<BreakerEventData>(@event), @event, id, now),
        ProxyEventKinds.Config when Read<ConfigEventData>(@event) is { Outcome: "refused" } refused =>
            [Create(NotificationEvents.ConfigRefused, @event, id, now, NotificationText.ConfigRefused(refused, instance))],
        ProxyEventKinds.Certificate when Read<CertificateEventData>(@event) is { Outcome: "refused" } refused =>
            [Create(NotificationEvents.CertificateRefused, @event, id, now, NotificationText.CertificateRefused(refused, instance))],
        _ => [],
    };

    private List<Notification> Rollout(RolloutEventData rollout, ProxyEvent @event, string id, DateTimeOffset now)
    {
        var previous = _rollouts.GetValueOrDefault(rollout.Route) is { } seen && seen.Id == rollout.Id ? seen : null;
        var started = previous is null && rollout.StartedAt >= since;
        var ended = rollout.Phase is Succeeded or RolledBack or Aborted;

        // A rollout's first save comes before its first step is in force; the step is the next save that progresses.
        var awaitingFirstStep = started || previous is { AwaitingFirstStep: true };
        var stepEntered = rollout.Phase == Progressing && (previous is not null && (awaitingFirstStep || rollout.Step != previous.Step));
        _rollouts[rollout.Route] = new SeenRollout(rollout.Id, rollout.Phase, rollout.Step, rollout.Verdict?.At, awaitingFirstStep && !stepEntered && !ended);

        if ((previous is null && !started) || (shared && rollout.Leader != instance))
        {
            return []; // under way before this instance listened (told then), or led by another instance (which tells)
        }

        var notifications = new List<Notification>();
        if (started)
        {
            notifications.Add(Create(NotificationEvents.RolloutStarted, @event, id, now, NotificationText.RolloutStarted(rollout, shared)));
        }

        if (stepEntered)
        {
            notifications.Add(Create(NotificationEvents.RolloutStep, @event, id, now, NotificationText.RolloutStep(rollout, shared)));
        }

        if (rollout.Phase == Waiting && previous?.Phase != Waiting)
        {
            notifications.Add(Create(NotificationEvents.RolloutWaiting, @event, id, now, NotificationText.RolloutWaiting(rollout, shared)));
        }

        if (rollout.Verdict is { Verdict: "fail" } verdict && verdict.At != previous?.VerdictAt)
        {
            notifications.Add(Create(NotificationEvents.RolloutVerdictFailed, @event, id, now, NotificationText.RolloutVerdictFailed(rollout, verdict, shared)));
        }

        if (rollout.Phase == RollingBack && previous?.Phase != RollingBack)
        {
            notifications.Add(Create(NotificationEvents.RolloutRollingBack, @event, id, now, NotificationText.RolloutRollingBack(rollout, shared)));
        }

        if (ended && rollout.Phase != previous?.Phase)
        {
            var name = rollout.Phase switch
            {
                Succeeded => NotificationEvents.RolloutPromoted,
                RolledBack => NotificationEvents.RolloutRolledBack,
                _ => NotificationEvents.RolloutAborted,
            };
            notifications.Add(Create(name, @event, id, now, NotificationText.RolloutEnded(name, rollout, shared)));
        }

        return notifications;
    }

    private List<Notification> Breaker(BreakerEventData breaker, ProxyEvent @event, string id, DateTimeOffset now)
    {
        // Opened when the cluster stops getting traffic, closed when it gets it back: a failed trial (half-open to open)
        // or an isolation of an open breaker is not news.
        var name = breaker switch
        {
            { From: "Closed", To: "Open" or "Isolated" } => NotificationEvents.BreakerOpened,
            { To: "Closed" } when breaker.From != "Closed" => NotificationEvents.BreakerClosed,
            _ => null,
        };
        return name is null ? [] : [Create(name, @event, id, breaker.At, NotificationText.Breaker(name, breaker, instance))];
    }

    private Notification Create(string name, ProxyEvent @event, string id, DateTimeOffset at, (string Summary, string? Detail) text) =>
        new(name, id, at, @event.Routes, instance, text.Summary, text.Detail, @event.Data);

    private static T Read<T>(ProxyEvent @event) => JsonSerializer.Deserialize<T>(@event.Data, EventJson.Options)
        ?? throw new JsonException($"a {@event.Kind} event without data");

    // What the previous event of a route's latest rollout said.
    private sealed record SeenRollout(long Id, string Phase, int Step, DateTimeOffset? VerdictAt, bool AwaitingFirstStep);
}
