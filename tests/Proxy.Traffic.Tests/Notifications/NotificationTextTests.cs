using System.Text.Json;
using Proxy.Traffic.Events;
using Proxy.Traffic.Notifications;
using static Proxy.Traffic.Tests.Notifications.StreamEvents;

namespace Proxy.Traffic.Tests.Notifications;

public class NotificationTextTests
{
    private readonly StreamEvents _stream = new();

    private Notification Single(NotificationDeriver deriver, ProxyEvent @event, string name) =>
        deriver.Derive(@event, _stream.Hub.IdOf(@event), Start).Single(n => n.Event == name);

    [Fact]
    public void A_rollback_says_where_it_stopped_and_why()
    {
        var deriver = new NotificationDeriver("gw-a", shared: false, Start);
        deriver.Derive(_stream.Rollout(Created()), "1", Start);
        var rolledBack = AtStep(Created(), 0, 30) with
        {
            Phase = "RolledBack",
            Verdict = Verdict("fail", 0, 5),
            Weights = new Dictionary<string, decimal> { ["blue"] = 100, ["canary"] = 0 },
            LastEvent = "rolled back to blue (rollout 1): 1 failed analysis in a row, latest fail: canary: 120 requests, 20.0% errors",
        };

        var notification = Single(deriver, _stream.Rollout(rolledBack), NotificationEvents.RolloutRolledBack);

        Assert.Equal("Route shop: rollout 1 of canary rolled back at step 1 of 3", notification.Summary);
        Assert.Equal("rolled back to blue (rollout 1): 1 failed analysis in a row, latest fail: canary: 120 requests, 20.0% errors; weights: blue 100%, canary 0%", notification.Detail);
    }

    [Fact]
    public void A_failed_verdict_gives_its_reason_and_both_sides_figures()
    {
        var deriver = new NotificationDeriver("gw-a", shared: false, Start);
        deriver.Derive(_stream.Rollout(Created()), "1", Start);
        deriver.Derive(_stream.Rollout(AtStep(Created(), 0, 30)), "2", Start);

        var notification = Single(deriver, _stream.Rollout(AtStep(Created(), 0, 30) with { Verdict = Verdict("fail", 0, 5) }), NotificationEvents.RolloutVerdictFailed);

        Assert.Equal("Route shop: analysis failed at step 1 of 3 (rollout 1 of canary)", notification.Summary);
        Assert.Equal("error rate 20.0% above the limit 5.0% [canary: 120 requests, 20.0% errors, p99 3.2 ms; blue: 480 requests, 0.0% errors, p99 2.9 ms]", notification.Detail);
    }

    [Fact]
    public void A_step_gives_the_candidates_share_and_what_comes_next()
    {
        var deriver = new NotificationDeriver("gw-a", shared: false, Start);
        deriver.Derive(_stream.Rollout(Created()), "1", Start);

        var notification = Single(deriver, _stream.Rollout(AtStep(Created(), 0, 12.5m)), NotificationEvents.RolloutStep);

        Assert.Equal("Route shop: rollout 1 at step 1 of 3, canary at 12.5%", notification.Summary);
        Assert.Equal("weights: blue 87.5%, canary 12.5%; next: step 2 (50%) after a passing analysis", notification.Detail);
    }

    [Fact]
    public void In_a_fleet_a_rollout_names_its_leader_and_a_breaker_its_instance()
    {
        var deriver = new NotificationDeriver("gw-b", shared: true, Start);

        var started = Single(deriver, _stream.Rollout(Created(leader: "gw-b")), NotificationEvents.RolloutStarted);
        var opened = Single(deriver, _stream.Breaker("canary", "Closed", "Open", "failure ratio 0.62 over 10 s (21 of 34 requests)"), NotificationEvents.BreakerOpened);
        var closed = Single(deriver, _stream.Breaker("canary", "HalfOpen", "Closed"), NotificationEvents.BreakerClosed);

        Assert.Equal("Route shop: rollout 1 of canary started (3 steps) (led by gw-b)", started.Summary);
        Assert.Equal(("Cluster canary: breaker opened on instance gw-b; it gets no traffic", "failure ratio 0.62 over 10 s (21 of 34 requests); route shop"), (opened.Summary, opened.Detail));
        Assert.Equal(("Cluster canary: breaker closed on instance gw-b; traffic flows again", "was HalfOpen; route shop"), (closed.Summary, closed.Detail));
    }

    [Fact]
    public void A_refused_configuration_lists_its_first_errors_and_counts_the_rest()
    {
        var deriver = new NotificationDeriver("gw-a", shared: false, Start);
        var errors = Enumerable.Range(1, 12).Select(i => $"TrafficSplit:Routes:r{i}:Stable: is required").ToArray();

        var refused = Single(deriver, _stream.Publish(ProxyEventKinds.Config, [], new ConfigEventData("refused", Start, "/etc/proxy/gateway.json", errors)), NotificationEvents.ConfigRefused);

        Assert.Equal("Configuration refused on instance gw-a; the last good configuration stays in force", refused.Summary);
        Assert.StartsWith("/etc/proxy/gateway.json: 12 errors: TrafficSplit:Routes:r1:Stable: is required; ", refused.Detail, StringComparison.Ordinal);
        Assert.EndsWith("r10:Stable: is required; and 2 more", refused.Detail, StringComparison.Ordinal);
        Assert.Null(refused.Route);
    }

    [Fact]
    public void A_long_detail_is_cut()
    {
        var deriver = new NotificationDeriver("gw-a", shared: false, Start);
        var errors = new[] { new string('x', 5000) };

        var refused = Single(deriver, _stream.Publish(ProxyEventKinds.Config, [], new ConfigEventData("refused", Start, "gateway.json", errors)), NotificationEvents.ConfigRefused);

        Assert.Equal(NotificationText.MaxDetailLength, refused.Detail!.Length);
        Assert.EndsWith("…", refused.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_json_body_has_the_event_in_words_and_the_stream_events_data()
    {
        var deriver = new NotificationDeriver("gw-a", shared: false, Start);
        var @event = _stream.Rollout(Created());
        var started = Single(deriver, @event, NotificationEvents.RolloutStarted);

        using var body = JsonDocument.Parse(NotificationBody.Of("json", started));
        var root = body.RootElement;

        Assert.Equal(
            ("rollout.started", "shop", "gw-a", started.Summary, _stream.Hub.IdOf(@event)),
            (root.GetProperty("event").GetString(), root.GetProperty("route").GetString(), root.GetProperty("instance").GetString(), root.GetProperty("summary").GetString(), root.GetProperty("id").GetString()));
        Assert.Equal(["shop"], root.GetProperty("routes").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(Start, root.GetProperty("at").GetDateTimeOffset());
        Assert.Equal(@event.Data, root.GetProperty("data").GetRawText());
        Assert.Equal(3, root.GetProperty("data").GetProperty("stepCount").GetInt32());
    }

    [Fact]
    public void The_slack_body_is_only_text_with_the_summary_in_bold_and_slacks_control_characters_escaped()
    {
        var notification = new Notification(
            NotificationEvents.CertificateRefused, "s-1", Start, [], "gw-a", "Certificate <default> refused", "key & certificate do not match", "{}");

        using var body = JsonDocument.Parse(NotificationBody.Of("slack", notification));

        var property = Assert.Single(body.RootElement.EnumerateObject());
        Assert.Equal("text", property.Name);
        Assert.Equal("*Certificate &lt;default&gt; refused*\nkey &amp; certificate do not match", property.Value.GetString());
    }
}
