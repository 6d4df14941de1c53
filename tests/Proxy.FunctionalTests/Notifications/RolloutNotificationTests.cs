using System.Diagnostics;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.FunctionalTests.Rollouts;
using Proxy.Traffic.Notifications;
using Proxy.Traffic.Webhooks;

namespace Proxy.FunctionalTests.Notifications;

/// <summary>Rollouts told to real receivers in both formats, in real time (bounds a loaded 2-core machine meets).</summary>
public sealed class RolloutNotificationTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private WebhookReceiver _json = null!;
    private WebhookReceiver _slack = null!;

    private static object Plan(params object[] steps) => new
    {
        candidate = "canary",
        strategy = "canary",
        steps,
        analysis = new { interval = "00:00:00.5", minRequests = 15, maxErrorRate = 0.05, maxP99LatencyMs = 5000, failureLimit = 1, inconclusiveTimeout = Patience.ToString("c") },
    };

    public async Task InitializeAsync()
    {
        _json = await WebhookReceiver.StartAsync();
        _slack = await WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _json.DisposeAsync();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task A_rolled_back_rollout_is_told_in_both_formats_once_each_and_signed()
    {
        await using var env = await StartAsync(
            Notifications.Hook(_json.At("hooks/json"), ["rollout.*"], secret: Notifications.Secret, name: "audit"),
            Notifications.Hook(_slack.At("services/T0/B0/token"), ["rollout.started", "rollout.rolled_back"], format: "slack"));
        env.Upstream("canary").Faults.ErrorRate = 0.2;
        using var admin = env.CreateAdminClient();
        await using var load = new SteadyLoad(env.CreateClient(cookies: false), Rollouts.Rollouts.ServedBy);
        await load.WarmAsync();

        await admin.StartRolloutAsync(Plan(new { weight = 30, pause = Patience.ToString("c") }, new { weight = 100 }));
        await admin.WaitForPhaseAsync("RolledBack", Patience);

        var rolledBack = await _json.CallAsync(NotificationEvents.RolloutRolledBack);
        Assert.Equal(["rollout.started", "rollout.step", "rollout.verdict_failed", "rollout.rolled_back"], _json.Events());
        Assert.All(_json.Calls, call => Assert.True(WebhookSignature.Verify(Notifications.Secret, call.Body, call.Signature), $"{call.Event}: {call.Signature}"));
        var body = rolledBack.Json();
        Assert.Equal(("rollout.rolled_back", "shop", "RolledBack"), (body.GetProperty("event").GetString(), body.GetProperty("route").GetString(), body.GetProperty("data").GetProperty("phase").GetString()));
        Assert.Equal("Route shop: rollout 1 of canary rolled back at step 1 of 2", body.GetProperty("summary").GetString());
        Assert.Contains("rolled back to blue (rollout 1): 1 failed analysis in a row", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var failed = _json.Calls.Single(c => c.Event == NotificationEvents.RolloutVerdictFailed).Json();
        Assert.Matches(@"canary: \d+ requests, \d+\.\d% errors", failed.GetProperty("detail").GetString());

        // The chat receiver asked for two events, gets them as text only, unsigned (it has no secret).
        await _slack.CallAsync(NotificationEvents.RolloutRolledBack);
        Assert.Equal(["rollout.started", "rollout.rolled_back"], _slack.Events());
        Assert.All(_slack.Calls, call => Assert.Equal("/services/T0/B0/token", call.Path));
        Assert.All(_slack.Calls, call => Assert.Null(call.Signature));
        var texts = _slack.Calls.Select(c => Assert.Single(c.Json().EnumerateObject(), p => p.Name == "text").Value.GetString()).ToList();
        Assert.StartsWith("*Route shop: rollout 1 of canary started (2 steps)*\nstarted by ops", texts[0], StringComparison.Ordinal);
        Assert.StartsWith("*Route shop: rollout 1 of canary rolled back at step 1 of 2*\nrolled back to blue", texts[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_promoted_rollout_is_told_each_step_while_a_receiver_that_is_down_and_one_that_times_out_hold_back_nothing()
    {
        using var down = new RefusingPort();
        await using var slow = await WebhookReceiver.StartAsync();
        slow.Answer = _ => new WebhookAnswer(200, Delay: TimeSpan.FromSeconds(30));
        await using var env = await StartAsync(
            Notifications.Hook(down.At("hook"), ["*"], name: "down", retries: 2),
            Notifications.Hook(slow.At("slow"), ["*"], name: "slow", timeout: TimeSpan.FromSeconds(2), retries: 1),
            Notifications.Hook(_json.At("hooks/json"), ["*"], secret: Notifications.Secret, name: "audit"),
            Notifications.Hook(_slack.At("chat"), ["rollout.*"], format: "slack"));
        using var metrics = Notifications.Collect(env);
        using var admin = env.CreateAdminClient();
        await using var load = new SteadyLoad(env.CreateClient(cookies: false), Rollouts.Rollouts.ServedBy);
        await load.WarmAsync();

        var started = Stopwatch.GetTimestamp();
        await admin.StartRolloutAsync(Plan(new { weight = 10, pause = "00:00:00.5" }, new { weight = 50, pause = "00:00:00.5" }, new { weight = 100 }));
        var rollout = await admin.WaitForPhaseAsync("Succeeded", 2 * Patience);

        // Every step's notification reached the receivers that are up while the rollout ran, not after the slow one's
        // timeouts: five notifications cost it at least 5 × 2 attempts × 2 s.
        await _json.CallAsync(NotificationEvents.RolloutPromoted, TimeSpan.FromSeconds(5));
        await _slack.CallAsync(NotificationEvents.RolloutPromoted, TimeSpan.FromSeconds(5));
        var told = Stopwatch.GetElapsedTime(started);
        string[] expected = ["rollout.started", "rollout.step", "rollout.step", "rollout.step", "rollout.promoted"];
        Assert.Equal(expected, _json.Events());
        Assert.Equal(expected, _slack.Events());
        Assert.True(told < TimeSpan.FromSeconds(20), $"the receivers that are up were told after {told}");
        Assert.True(metrics.Counted("slow") < expected.Length, $"the slow receiver had {metrics.Counted("slow")} outcomes already");
        Assert.True(rollout.Duration() < Patience, $"the rollout took {rollout.Duration()}");

        var steps = _json.Calls.Where(c => c.Event == NotificationEvents.RolloutStep).Select(c => c.Json().GetProperty("summary").GetString());
        Assert.Equal(
            ["Route shop: rollout 1 at step 1 of 3, canary at 10%", "Route shop: rollout 1 at step 2 of 3, canary at 50%", "Route shop: rollout 1 at step 3 of 3, canary at 100%"],
            steps);
        Assert.Equal("Route shop: canary promoted to stable (rollout 1)", _json.Calls.Last().Json().GetProperty("summary").GetString());

        // The receiver that is down: each notification failed after its retries, counted, none queued for ever.
        await Eventually.TrueAsync(() => metrics.Counted("down", "unreachable") == expected.Length, $"the down receiver's outcomes: {metrics.Outcomes("down")}");
        Assert.Equal(expected.Length, metrics.Counted("audit", "delivered"));
    }

    [Fact]
    public async Task A_restarted_gateway_does_not_announce_its_rollout_again()
    {
        await using var env = await StartAsync(Notifications.Hook(_json.At("hooks"), ["rollout.*", "config.refused"]));
        using var admin = env.CreateAdminClient();
        await admin.StartRolloutAsync(Plan(new { weight = 10, pause = "00:10:00" }, new { weight = 100 }));
        await _json.CallAsync(NotificationEvents.RolloutStep);

        await env.RestartGatewayAsync();
        Assert.Equal("Progressing", (await env.CreateAdminClient().GetRolloutAsync()).GetProperty("phase").GetString());

        // Notifications are sent in order: once the refusal after the restart is here, anything the restart told is too.
        await File.WriteAllTextAsync(env.ConfigFile, "{ not json");
        await _json.CallAsync(NotificationEvents.ConfigRefused);
        Assert.Equal(["rollout.started", "rollout.step", "config.refused"], _json.Events());
    }

    private static Task<TestEnvironment> StartAsync(params object[] hooks) => TestEnvironment.StartAsync(
        ["blue", "canary"],
        Splits.Route("blue", new() { ["blue"] = 100, ["canary"] = 0 }, servedByHeader: Rollouts.Rollouts.ServedBy),
        Notifications.Configure(hooks));
}
