using Proxy.Traffic.Events;
using Proxy.Traffic.Notifications;
using static Proxy.Traffic.Tests.Notifications.StreamEvents;

namespace Proxy.Traffic.Tests.Notifications;

public class NotificationDeriverTests
{
    private readonly StreamEvents _stream = new();
    private NotificationDeriver _deriver = new("gw-a", shared: false, since: Start);

    private List<string> Derive(ProxyEvent @event) => [.. _deriver.Derive(@event, _stream.Hub.IdOf(@event), Start.AddMinutes(1)).Select(n => n.Event)];

    private List<string> Derive(RolloutEventData rollout) => Derive(_stream.Rollout(rollout));

    [Fact]
    public void A_promoted_rollout_is_told_started_then_each_step_then_promoted_each_once()
    {
        var created = Created();
        var step1 = AtStep(created, 0, 10);
        var passed1 = step1 with { Verdict = Verdict("pass", 0, 5), LastEvent = "verdict" };
        var step2 = AtStep(passed1, 1, 50);
        var passed2 = step2 with { Verdict = Verdict("pass", 1, 10) };
        var step3 = AtStep(passed2, 2, 100);
        var promoted = step3 with { Phase = "Succeeded", LastEvent = "canary promoted to stable (rollout 1): step 3 of 3 passed" };

        var told = new[] { created, step1, passed1, step2, passed2, passed2 with { NextAction = "again" }, step3, promoted, promoted }.Select(Derive).ToList();

        Assert.Equal(
            [[NotificationEvents.RolloutStarted], [NotificationEvents.RolloutStep], [], [NotificationEvents.RolloutStep], [], [], [NotificationEvents.RolloutStep], [NotificationEvents.RolloutPromoted], []],
            told);
    }

    [Fact]
    public void The_save_that_rolls_back_on_a_failed_verdict_tells_both_and_a_later_save_tells_nothing()
    {
        var step1 = AtStep(Created(), 0, 30);
        Derive(Created());
        Derive(step1);

        var failed = step1 with { Verdict = Verdict("fail", 0, 5) };
        var rolledBack = failed with { Phase = "RolledBack", Weights = new Dictionary<string, decimal> { ["blue"] = 100, ["canary"] = 0 }, LastEvent = "rolled back to blue (rollout 1): 1 failed analysis in a row" };

        Assert.Equal([NotificationEvents.RolloutVerdictFailed, NotificationEvents.RolloutRolledBack], Derive(rolledBack));
        Assert.Empty(Derive(rolledBack with { NextAction = null }));
    }

    [Fact]
    public void A_gradual_rollback_is_told_when_the_walk_begins_and_again_when_it_ends()
    {
        var step1 = AtStep(Created(), 0, 60);
        Derive(Created());
        Derive(step1);

        var failed = step1 with { Verdict = Verdict("fail", 0, 5), Phase = "RollingBack", LastEvent = "rolling back gradually: 1 failed analysis in a row" };
        var walked = failed with { Weights = new Dictionary<string, decimal> { ["blue"] = 80, ["canary"] = 20 } };
        var rolledBack = walked with { Phase = "RolledBack", Weights = new Dictionary<string, decimal> { ["blue"] = 100, ["canary"] = 0 } };

        Assert.Equal([NotificationEvents.RolloutVerdictFailed, NotificationEvents.RolloutRollingBack], Derive(failed));
        Assert.Empty(Derive(walked));
        Assert.Equal([NotificationEvents.RolloutRolledBack], Derive(rolledBack));
    }

    [Fact]
    public void Each_new_failed_verdict_is_told_and_a_verdict_saved_again_is_not()
    {
        var step1 = AtStep(Created(), 0, 30);
        Derive(Created());
        Derive(step1);

        Assert.Equal([NotificationEvents.RolloutVerdictFailed], Derive(step1 with { Verdict = Verdict("fail", 0, 5) }));
        Assert.Empty(Derive(step1 with { Verdict = Verdict("fail", 0, 5), Phase = "Paused" }));
        Assert.Empty(Derive(step1 with { Verdict = Verdict("inconclusive", 0, 10) }));
        Assert.Equal([NotificationEvents.RolloutVerdictFailed], Derive(step1 with { Verdict = Verdict("fail", 0, 15) }));
    }

    [Fact]
    public void Waiting_at_a_gate_is_told_once_per_wait()
    {
        var step1 = AtStep(Created(), 0, 10);
        Derive(Created());
        Derive(step1);
        var waiting = step1 with { Phase = "Waiting", LastEvent = "waiting for confirm-traffic-increase hook 'ci'" };

        Assert.Equal([NotificationEvents.RolloutWaiting], Derive(waiting));
        Assert.Empty(Derive(waiting with { NextAction = "asked again" }));
        Assert.Equal([NotificationEvents.RolloutStep], Derive(AtStep(waiting with { Phase = "Progressing" }, 1, 50)));
        Assert.Equal([NotificationEvents.RolloutWaiting], Derive(AtStep(waiting, 1, 50)));
    }

    [Fact]
    public void A_rollout_waiting_before_its_first_step_is_told_the_step_when_it_goes_on()
    {
        var waiting = Created() with { Phase = "Waiting" };

        Assert.Equal([NotificationEvents.RolloutStarted, NotificationEvents.RolloutWaiting], Derive(waiting));
        Assert.Equal([NotificationEvents.RolloutStep], Derive(AtStep(Created(), 0, 10)));
    }

    [Fact]
    public void A_pause_and_a_resume_at_the_same_step_are_not_a_new_step()
    {
        var step1 = AtStep(Created(), 0, 10);
        Derive(Created());
        Derive(step1);

        Assert.Empty(Derive(step1 with { Phase = "Paused", LastEvent = "paused by ops" }));
        Assert.Empty(Derive(step1 with { LastEvent = "resumed by ops" }));
    }

    [Fact]
    public void A_rollout_aborted_before_its_first_step_is_told_started_and_aborted()
    {
        Assert.Equal([NotificationEvents.RolloutStarted], Derive(Created()));
        Assert.Equal([NotificationEvents.RolloutAborted], Derive(Created() with { Phase = "Aborted", LastEvent = "the split refused the rollout's change" }));
    }

    [Fact]
    public void A_rollout_under_way_before_the_restart_is_not_announced_again_but_its_next_transitions_are()
    {
        var before = Created(startedAt: Start.AddMinutes(-10));
        var resumed = AtStep(before, 1, 50) with { LastEvent = "resumed at step 2 after a restart" };

        Assert.Empty(Derive(AtStep(before, 1, 50)));
        Assert.Empty(Derive(resumed));
        Assert.Equal([NotificationEvents.RolloutStep], Derive(AtStep(resumed, 2, 100)));
        Assert.Equal([NotificationEvents.RolloutPromoted], Derive(AtStep(resumed, 2, 100) with { Phase = "Succeeded" }));
    }

    [Fact]
    public void The_next_rollout_of_a_route_is_a_new_start()
    {
        Derive(Created());
        Derive(Created() with { Phase = "Aborted" });

        Assert.Equal([NotificationEvents.RolloutStarted], Derive(Created() with { Id = 2 }));
    }

    [Fact]
    public void In_a_fleet_only_the_leader_tells_and_a_takeover_is_not_news()
    {
        _deriver = new NotificationDeriver("gw-a", shared: true, since: Start);
        var led = Created(leader: "gw-b");

        Assert.Empty(Derive(led));
        Assert.Empty(Derive(AtStep(led, 0, 10)));
        Assert.Empty(Derive(AtStep(led, 1, 50)));

        var takenOver = AtStep(led, 1, 50) with { Leader = "gw-a", LastEvent = "instance gw-a took over from gw-b" };
        Assert.Empty(Derive(takenOver));
        Assert.Equal([NotificationEvents.RolloutStep], Derive(AtStep(takenOver, 2, 100)));
    }

    [Fact]
    public void A_breaker_is_told_when_its_cluster_loses_traffic_and_when_it_gets_it_back()
    {
        var told = new[]
        {
            ("Closed", "Open"), ("Open", "HalfOpen"), ("HalfOpen", "Open"), ("Open", "HalfOpen"), ("HalfOpen", "Closed"),
            ("Closed", "Isolated"), ("Isolated", "Closed"),
        }.Select(t => Derive(_stream.Breaker("canary", t.Item1, t.Item2))).ToList();

        Assert.Equal(
            [[NotificationEvents.BreakerOpened], [], [], [], [NotificationEvents.BreakerClosed], [NotificationEvents.BreakerOpened], [NotificationEvents.BreakerClosed]],
            told);
    }

    [Fact]
    public void A_refused_configuration_or_certificate_is_told_and_an_applied_one_is_not()
    {
        Assert.Equal([NotificationEvents.ConfigRefused], Derive(_stream.Publish(ProxyEventKinds.Config, [], new ConfigEventData("refused", Start, "gateway.json", ["TrafficSplit:Routes:shop:Weights: must add up to 100"]))));
        Assert.Empty(Derive(_stream.Publish(ProxyEventKinds.Config, [], new ConfigEventData("applied", Start, null, []))));
        Assert.Equal([NotificationEvents.CertificateRefused], Derive(_stream.Publish(ProxyEventKinds.Certificate, [], new CertificateEventData("default", "refused", null, null, null, "the key does not match"))));
        Assert.Empty(Derive(_stream.Publish(ProxyEventKinds.Certificate, [], new CertificateEventData("default", "renewed", "CN=shop", "01", Start.AddDays(90), null))));
        Assert.Empty(Derive(_stream.Publish(ProxyEventKinds.Split, ["shop"], new { route = "shop" })));
    }

    [Fact]
    public void A_notification_carries_the_stream_event_its_instance_and_routes()
    {
        var @event = _stream.Rollout(Created());

        var started = Assert.Single(_deriver.Derive(@event, _stream.Hub.IdOf(@event), Start.AddMinutes(1)));

        Assert.Equal((_stream.Hub.IdOf(@event), "gw-a", "shop", @event.Data), (started.Id, started.Instance, started.Route, started.Data));
        Assert.Equal(Start.AddMinutes(1), started.At);
    }
}
