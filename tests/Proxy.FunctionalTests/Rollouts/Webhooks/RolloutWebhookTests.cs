using System.Net;
using System.Text.Json;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.Webhooks;
using static Proxy.FunctionalTests.Rollouts.Webhooks.HookedRollouts;

namespace Proxy.FunctionalTests.Rollouts.Webhooks;

/// <summary>Each webhook type's effect on a real rollout, with receivers that are real Kestrel servers answering as scripted.</summary>
public class RolloutWebhookTests
{
    [Fact]
    public async Task A_signed_confirm_rollout_call_holds_the_first_step_until_the_receiver_answers_2xx()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var open = false;
        receiver.Answer = _ => open ? WebhookAnswer.Ok : new WebhookAnswer(423, "change freeze until 14:00");
        await using var env = await StartAsync();
        using var admin = env.CreateAdminClient();

        var started = await admin.StartRolloutAsync(Plan(
            [new { weight = 10, pause = "00:10:00" }, new { weight = 100 }],
            Hook("freeze", "confirm-rollout", receiver.At("gates/freeze"), metadata: new { ticket = "CHG-1042" })));
        var waiting = await admin.WaitForAsync(r => r.GetProperty("gate").TryGetProperty("lastAnswer", out var a) && a.GetString() is not null, "the gate's first answer");

        Assert.Equal(("Waiting", "freeze"), (started.Phase(), started.Gate()));
        Assert.Equal(("confirm-rollout", "answered 423: change freeze until 14:00"), (waiting.GetProperty("gate").GetProperty("type").GetString(), waiting.GetProperty("gate").GetProperty("lastAnswer").GetString()));
        Assert.StartsWith("the first step once the confirm-rollout hook 'freeze' answers 2xx", waiting.GetProperty("nextAction").GetString(), StringComparison.Ordinal);
        Assert.Equal("blue=100, canary=0", (await admin.GetRouteAsync()).Route.Weights());
        await Eventually.TrueAsync(() => receiver.Calls.Count >= 2, "the gate was not asked again after an interval");

        var call = receiver.Calls.First();
        Assert.Equal(("/gates/freeze", "confirm-rollout"), (call.Path, call.Event));
        Assert.True(WebhookSignature.Verify(Secret, call.Body, call.Signature), $"unsigned or badly signed: {call.Signature}");
        using (var payload = JsonDocument.Parse(call.Body))
        {
            var root = payload.RootElement;
            Assert.Equal(("freeze", "shop", "Waiting", "canary", "blue", "CHG-1042"), (root.GetProperty("hook").GetString(), root.GetProperty("route").GetString(),
                root.GetProperty("phase").GetString(), root.GetProperty("candidate").GetString(), root.GetProperty("stable").GetString(),
                root.GetProperty("metadata").GetProperty("ticket").GetString()));
        }

        open = true;
        var progressing = await admin.WaitForPhaseAsync("Progressing", Patience);

        Assert.Equal((0, "blue=90, canary=10"), (progressing.GetProperty("step").GetInt32(), (await admin.GetRouteAsync()).Route.Weights()));
        Assert.Contains("confirm-rollout hook 'freeze' let the first step go ahead: answered 200", progressing.Events());
        var metrics = await admin.GetStringAsync("/metrics");
        Assert.Contains("proxy_rollout_webhooks_total{", metrics, StringComparison.Ordinal);
        Assert.Matches("proxy_rollout_webhooks_total\\{[^}]*proxy_outcome=\"refused\"[^}]*proxy_webhook_type=\"confirm-rollout\"", metrics);
        Assert.DoesNotContain(Secret, (await admin.GetRolloutAsync()).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pre_rollout_hook_that_times_out_aborts_the_rollout_before_any_traffic_moves()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => new WebhookAnswer(200, Delay: TimeSpan.FromSeconds(30));
        await using var env = await StartAsync();
        using var admin = env.CreateAdminClient();

        await admin.StartRolloutAsync(Plan([new { weight = 50 }], Hook("acceptance", "pre-rollout", receiver.At("acceptance"), timeout: "00:00:00.300")));
        var aborted = await admin.WaitForPhaseAsync("Aborted", Patience);

        Assert.Equal("aborted before the first step: the pre-rollout hook 'acceptance' timed out after 4 attempts", aborted.Events().Last());
        Assert.Equal(4, receiver.Calls.Count); // the first attempt and three retries
        Assert.DoesNotContain(await admin.GetHistoryAsync(), h => h.GetProperty("source").GetString() == "rollout");
        Assert.Equal("blue=100, canary=0", (await admin.GetRouteAsync()).Route.Weights());
    }

    [Fact]
    public async Task A_rollout_hook_answering_500_is_a_failed_check_that_rolls_the_canary_back()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => new WebhookAnswer(500, "load test: p95 1.8 s");
        await using var env = await StartAsync();
        using var admin = env.CreateAdminClient();
        await using var load = new SteadyLoad(env.CreateClient(cookies: false), Rollouts.ServedBy);
        await load.WarmAsync();

        await admin.StartRolloutAsync(Plan([new { weight = 30, pause = Patience.ToString("c") }, new { weight = 100 }], Hook("load-test", "rollout", receiver.At("load"))));
        var rolledBack = await admin.WaitForPhaseAsync("RolledBack", Patience);

        var verdict = rolledBack.GetProperty("verdicts")[0];
        Assert.Equal("fail", verdict.GetProperty("verdict").GetString());
        var check = verdict.GetProperty("hooks")[0];
        Assert.Equal(("load-test", "refused", 500, false), (check.GetProperty("hook").GetString(), check.GetProperty("outcome").GetString(), check.GetProperty("status").GetInt32(), check.GetProperty("passed").GetBoolean()));
        Assert.Contains("failed check: rollout hook 'load-test' answered 500: load test: p95 1.8 s", verdict.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, receiver.Calls.Count); // one analysis, retried once on the 5xx
        Assert.Equal("blue=100, canary=0", (await admin.GetRouteAsync()).Route.Weights());
    }

    [Fact]
    public async Task Confirm_traffic_increase_and_confirm_promotion_hold_their_moves_and_post_rollout_hears_the_end()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var opened = new HashSet<string>();
        receiver.Answer = call => call.Path == "/post" || opened.Contains(call.Path) ? WebhookAnswer.Ok : new WebhookAnswer(409, "not yet");
        await using var env = await StartAsync();
        using var admin = env.CreateAdminClient();
        await using var load = new SteadyLoad(env.CreateClient(cookies: false), Rollouts.ServedBy);
        await load.WarmAsync();

        await admin.StartRolloutAsync(Plan(
            [new { weight = 10, pause = "00:00:00" }, new { weight = 60, pause = "00:00:00" }],
            Hook("more-traffic", "confirm-traffic-increase", receiver.At("increase")),
            Hook("release", "confirm-promotion", receiver.At("promote")),
            Hook("announce", "post-rollout", receiver.At("post"))));

        var atIncrease = await admin.WaitForAsync(r => r.Gate() == "more-traffic", "the confirm-traffic-increase gate");
        Assert.Equal(("Waiting", 0), (atIncrease.Phase(), atIncrease.GetProperty("step").GetInt32()));
        Assert.Equal("blue=90, canary=10", (await admin.GetRouteAsync()).Route.Weights());
        opened.Add("/increase");

        var atPromotion = await admin.WaitForAsync(r => r.Gate() == "release", "the confirm-promotion gate");
        Assert.Equal(("Waiting", 1, "promotion"), (atPromotion.Phase(), atPromotion.GetProperty("step").GetInt32(), atPromotion.GetProperty("gate").GetProperty("before").GetString()));
        Assert.Equal("blue=40, canary=60", (await admin.GetRouteAsync()).Route.Weights());
        var verdictsWhileWaiting = atPromotion.GetProperty("verdicts").GetArrayLength();
        await admin.WaitForAsync(r => r.GetProperty("verdicts").GetArrayLength() > verdictsWhileWaiting, "an analysis while waiting"); // analysis goes on
        opened.Add("/promote");

        var succeeded = await admin.WaitForPhaseAsync("Succeeded", Patience);
        Assert.Equal("canary", (await admin.GetRouteAsync()).Route.GetProperty("stable").GetString());
        await Eventually.TrueAsync(() => receiver.Calls.Any(c => c.Path == "/post"), "post-rollout was not called");
        var post = Assert.Single(receiver.Calls, c => c.Path == "/post");
        Assert.Equal(("post-rollout", "Succeeded"), (post.Event, JsonDocument.Parse(post.Body).RootElement.GetProperty("phase").GetString()));
        await admin.WaitForAsync(r => r.Events().Contains("the post-rollout hook 'announce' answered 200"), "the post-rollout answer in the events");
        Assert.Single(receiver.Calls, c => c.Path == "/post");
        Assert.True(WebhookSignature.Verify(Secret, post.Body, post.Signature));
        _ = succeeded;
    }

    [Fact]
    public async Task A_rollback_hook_that_answers_2xx_rolls_back_at_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var incident = false;
        receiver.Answer = _ => incident ? new WebhookAnswer(200, "INC-77 opened") : new WebhookAnswer(404);
        await using var env = await StartAsync();
        using var admin = env.CreateAdminClient();

        await admin.StartRolloutAsync(Plan([new { weight = 20, pause = "00:10:00" }, new { weight = 100 }], Hook("kill-switch", "rollback", receiver.At("kill"))));
        await Eventually.TrueAsync(() => receiver.Calls.Count >= 2, "the kill switch was not asked every interval");
        Assert.Equal("Progressing", (await admin.GetRolloutAsync()).Phase());

        incident = true;
        var rolledBack = await admin.WaitForPhaseAsync("RolledBack", Patience);

        Assert.Equal("rolled back to blue (rollout 1): the rollback hook 'kill-switch' answered 200", rolledBack.Events().Last());
        Assert.Single(rolledBack.Events(), e => e == "the rollback hook 'kill-switch' answered 404: no rollback");
        Assert.Equal("blue=100, canary=0", (await admin.GetRouteAsync()).Route.Weights());
    }

    [Fact]
    public async Task Bad_webhooks_get_a_problem_naming_each_field_and_start_nothing()
    {
        await using var env = await StartAsync();
        using var admin = env.CreateAdminClient();

        using var response = await admin.PostAsync("api/routes/shop/rollouts", Plan(
            [new { weight = 10 }],
            Hook("a", "confirm-rollout", null),
            Hook("a", "pre-rollout", null),
            new { name = "b", type = "on-tuesdays", url = "file:///etc/passwd" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.Equal(["webhooks[1].name", "webhooks[1].url", "webhooks[2].type", "webhooks[2].url"], errors.EnumerateObject().Select(e => e.Name).Order());
        using var current = await admin.GetAsync("api/routes/shop/rollouts/current");
        Assert.Equal(HttpStatusCode.NotFound, current.StatusCode);
    }
}
