using System.Diagnostics;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Gateway;
using Proxy.Traffic.Health;
using Proxy.Traffic.Notifications;

namespace Proxy.FunctionalTests.Notifications;

/// <summary>Each instance's own events: its breakers, its refused configuration; and the notifications' own configuration.</summary>
public sealed class BreakerAndConfigNotificationTests : IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    private static object Split(decimal canary) => new
    {
        CircuitBreaker = new { FailureRatio = 0.3, MinimumThroughput = 10, SamplingDuration = "00:00:05", BreakDuration = "00:00:01" },
        Routes = new Dictionary<string, object>
        {
            ["shop"] = new { Stable = "blue", Weights = new Dictionary<string, decimal> { ["blue"] = 100 - canary, ["canary"] = canary } },
        },
    };

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task A_breaker_that_opens_and_closes_again_is_told_twice_naming_the_instance_and_the_cause()
    {
        await using var env = await TestEnvironment.StartAsync(
            ["blue", "canary"], Split(50), Notifications.Configure([Notifications.Hook(_receiver.At("hook"), ["breaker.*"], secret: Notifications.Secret)]));
        using var client = env.CreateClient(cookies: false);
        env.Upstream("canary").Faults.ErrorRate = 0.5;

        await SendUntilAsync(client, () => _receiver.Calls.Any(c => c.Event == NotificationEvents.BreakerOpened), "no breaker.opened came");
        env.Upstream("canary").Faults.Clear();
        await SendUntilAsync(client, () => _receiver.Calls.Any(c => c.Event == NotificationEvents.BreakerClosed), "no breaker.closed came");

        Assert.Equal([NotificationEvents.BreakerOpened, NotificationEvents.BreakerClosed], _receiver.Events());
        var opened = _receiver.Calls.First().Json();
        Assert.Equal((Environment.MachineName, "canary", "Closed", "Open"), (
            opened.GetProperty("instance").GetString(),
            opened.GetProperty("data").GetProperty("cluster").GetString(),
            opened.GetProperty("data").GetProperty("from").GetString(),
            opened.GetProperty("data").GetProperty("to").GetString()));
        Assert.Equal($"Cluster canary: breaker opened on instance {Environment.MachineName}; it gets no traffic", opened.GetProperty("summary").GetString());
        Assert.Contains("failure ratio", opened.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(["shop"], opened.GetProperty("routes").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task A_refused_reload_is_told_and_one_with_a_bad_receiver_keeps_the_receivers_in_force()
    {
        await using var other = await WebhookReceiver.StartAsync();
        Action<System.Text.Json.Nodes.JsonObject> first = Notifications.Configure([Notifications.Hook(_receiver.At("first"), ["config.refused"])]);
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Split(0), first);

        // A split that does not add up: refused, and told with the error.
        await env.WriteConfigAsync(Split(150));
        var refused = (await _receiver.CallAsync(NotificationEvents.ConfigRefused)).Json();
        Assert.Equal(env.ConfigFile, refused.GetProperty("data").GetProperty("source").GetString());
        Assert.Contains("TrafficSplit:Routes:shop", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Null(refused.GetProperty("route").GetString());

        // A version whose new receivers include a bad one is refused whole: the first receiver hears of it, the new ones
        // are not in force.
        await env.WriteConfigAsync(Split(0), Notifications.Configure([
            Notifications.Hook(other.At("second"), ["config.refused"]),
            new { Url = "hooks.example.com/no-scheme", Events = new[] { "*" } },
        ]));
        await Eventually.TrueAsync(() => _receiver.Calls.Count == 2, "the refusal of the bad receiver was not told to the receiver in force");
        Assert.Contains("Notifications:Webhooks:1:Url: must be an absolute http or https URL", _receiver.Calls.Last().Json().GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(env.ConfigFile, env.ConfigState.Refusal?.Source);

        // A good version is in force at once: the next refusal goes to the new receiver only.
        await env.WriteConfigAsync(Split(0), Notifications.Configure([Notifications.Hook(other.At("second"), ["config.refused"])]));
        await Eventually.TrueAsync(() => env.ConfigState.Refusal is null, "the good version was not applied");
        await env.WriteConfigAsync(Split(150));
        await other.CallAsync(NotificationEvents.ConfigRefused);
        Assert.Equal(2, _receiver.Calls.Count);
    }

    [Fact]
    public async Task A_bad_receiver_stops_the_start_up_with_a_readable_error_that_quotes_no_url()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestEnvironment.StartAsync(
            ["blue"],
            Splits.Route("blue", new() { ["blue"] = 100 }),
            Notifications.Configure([new { Url = "ftp://hooks.example.com/services/T0/B0/secret-token", Events = new[] { "rollout.finished" } }])));

        var message = StartupError.Describe(error);

        Assert.NotNull(message);
        Assert.Contains("Notifications:Webhooks:0:Url: must be an absolute http or https URL", message, StringComparison.Ordinal);
        Assert.Contains("Notifications:Webhooks:0:Events:0: 'rollout.finished' is not an event", message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_full_queue_drops_what_it_cannot_hold_counts_it_and_never_holds_up_the_change()
    {
        _receiver.Answer = _ => new WebhookAnswer(200, Delay: TimeSpan.FromSeconds(3));
        await using var env = await TestEnvironment.StartAsync(
            ["blue", "canary"], Split(10), Notifications.Configure([Notifications.Hook(_receiver.At("slow"), ["breaker.*"], name: "slow", timeout: TimeSpan.FromSeconds(10))], queueLength: 2));
        using var metrics = Notifications.Collect(env);
        using var admin = env.CreateAdminClient();

        // Ten isolations and resets: twenty notifications to a receiver that takes 3 s for each.
        var changes = Stopwatch.StartNew();
        for (var i = 0; i < 10; i++)
        {
            (await admin.PostAsync("api/clusters/canary/isolate")).EnsureSuccessStatusCode();
            (await admin.PostAsync("api/clusters/canary/reset")).EnsureSuccessStatusCode();
        }

        changes.Stop();
        Assert.Equal(BreakerState.Closed, env.Health.GetStatus("canary").Breaker);
        Assert.True(changes.Elapsed < TimeSpan.FromSeconds(10), $"twenty breaker changes took {changes.Elapsed}: they waited for the receiver");

        // One in flight and two queued at most when the burst ended: everything else was dropped, and each is counted.
        await Eventually.TrueAsync(() => metrics.Counted("slow") == 20, $"counted {metrics.Counted("slow")} of 20", TimeSpan.FromSeconds(40));
        var delivered = metrics.Counted("slow", "delivered");
        Assert.Equal(20 - delivered, metrics.Counted("slow", NotificationMetrics.Dropped));
        Assert.InRange(delivered, 2, 3 + (int)(changes.Elapsed.TotalSeconds / 3));
        Assert.Equal(delivered, _receiver.Calls.Count);
    }

    private static async Task SendUntilAsync(HttpClient client, Func<bool> condition, string because)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, because);
            await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.GetAsync("/")));
        }
    }
}
