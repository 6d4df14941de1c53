using System.Net;
using Proxy.FunctionalTests.Infrastructure;
using static Proxy.FunctionalTests.Rollouts.Webhooks.HookedRollouts;

namespace Proxy.FunctionalTests.Rollouts.Webhooks;

/// <summary>Manual gates (confirm-* hooks without url) approved through the admin API, and gates that outlive a restart.</summary>
public class ManualGateTests
{
    [Fact]
    public async Task A_manual_gate_is_approved_through_the_api_by_an_operator_with_the_actor_in_the_events_and_the_stream()
    {
        await using var env = await StartAsync();
        using var admin = env.CreateAdminClient();
        using var viewer = env.CreateAdminClient(TestEnvironment.ViewerKey);
        using var none = await admin.ApproveAsync();
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        await using var events = await EventStreamReader.OpenAsync(env.AdminAddress, TestEnvironment.ViewerKey, "?kinds=rollout");

        var started = await admin.StartRolloutAsync(Plan([new { weight = 25, pause = "00:10:00" }, new { weight = 100 }], Hook("go-live", "confirm-rollout", null)));

        Assert.Equal(("Waiting", "go-live", true), (started.Phase(), started.Gate(), started.GetProperty("gate").GetProperty("manual").GetBoolean()));
        var (_, waiting) = await events.NextOfKindAsync("rollout", e => e.GetProperty("phase").GetString() == "Waiting");
        Assert.Equal(("go-live", "confirm-rollout"), (waiting.GetProperty("gate").GetProperty("hook").GetString(), waiting.GetProperty("gate").GetProperty("type").GetString()));
        using var forbidden = await viewer.ApproveAsync();
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        using var tooLong = await admin.ApproveAsync(new string('x', 501));
        Assert.True((await tooLong.ReadJsonAsync()).GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal("blue=100, canary=0", (await admin.GetRouteAsync()).Route.Weights());

        using var approved = await admin.ApproveAsync("CAB-2211 signed off");

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var rollout = await approved.ReadJsonAsync();
        Assert.Equal(("Progressing", 0), (rollout.Phase(), rollout.GetProperty("step").GetInt32()));
        Assert.Contains("manual confirm-rollout gate 'go-live' before the first step approved by ops: CAB-2211 signed off", rollout.Events());
        Assert.Equal("blue=75, canary=25", (await admin.GetRouteAsync()).Route.Weights());

        using var again = await admin.ApproveAsync();
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("rollout 1 waits at no gate (it is Progressing)", (await again.ReadJsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_gateway_restarted_while_waiting_at_a_gate_goes_on_waiting_and_asks_the_hook_again()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var open = false;
        receiver.Answer = _ => open ? WebhookAnswer.Ok : new WebhookAnswer(403, "not approved yet");
        await using var env = await StartAsync();
        using (var admin = env.CreateAdminClient())
        {
            await admin.StartRolloutAsync(Plan([new { weight = 10, pause = "00:10:00" }, new { weight = 100 }], Hook("change-board", "confirm-rollout", receiver.At("cab"))));
            await Eventually.TrueAsync(() => !receiver.Calls.IsEmpty, "the gate was not asked");
        }

        await env.RestartGatewayAsync();
        var askedBefore = receiver.Calls.Count;

        using var restarted = env.CreateAdminClient();
        var rollout = await restarted.GetRolloutAsync();
        Assert.Equal(("Waiting", "change-board"), (rollout.Phase(), rollout.Gate()));
        await Eventually.TrueAsync(() => receiver.Calls.Count > askedBefore, "the restarted gateway did not ask the gate again");
        Assert.Equal("blue=100, canary=0", (await restarted.GetRouteAsync()).Route.Weights());

        open = true;
        var progressing = await restarted.WaitForPhaseAsync("Progressing", Patience);
        Assert.Equal("blue=90, canary=10", (await restarted.GetRouteAsync()).Route.Weights());
        Assert.Contains(progressing.Events(), e => e.StartsWith("resumed at step 1 after a restart", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rollout_waiting_at_a_gate_is_notified_once_naming_the_gate_then_its_first_step()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var env = await TestEnvironment.StartAsync(
            ["blue", "canary"],
            Splits.Route("blue", new() { ["blue"] = 100, ["canary"] = 0 }),
            Notifications.Notifications.Configure([Notifications.Notifications.Hook(receiver.At("chat"), ["rollout.*"])]));
        using var admin = env.CreateAdminClient();

        await admin.StartRolloutAsync(Plan([new { weight = 10, pause = "00:10:00" }, new { weight = 100 }], Hook("release-board", "confirm-rollout", null)));
        var waiting = await Notifications.Notifications.CallAsync(receiver, "rollout.waiting");
        (await admin.ApproveAsync("ok")).EnsureSuccessStatusCode();
        await Notifications.Notifications.CallAsync(receiver, "rollout.step");

        Assert.Equal(["rollout.started", "rollout.waiting", "rollout.step"], Notifications.Notifications.Events(receiver));
        var body = Notifications.Notifications.Json(waiting);
        Assert.Contains("manual confirm-rollout gate 'release-board'", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(("release-board", true), (body.GetProperty("data").GetProperty("gate").GetProperty("hook").GetString(), body.GetProperty("data").GetProperty("gate").GetProperty("manual").GetBoolean()));
    }
}
