using Proxy.FunctionalTests.Infrastructure;
using Proxy.FunctionalTests.Notifications;
using Proxy.FunctionalTests.Rollouts;
using Proxy.Traffic.Notifications;
using Proxy.Traffic.Tests.State.Redis;

namespace Proxy.FunctionalTests.ScaleOut;

/// <summary>
/// Two gateways on one Redis, both with the same receiver: every instance's stream has every rollout save, yet each
/// rollout transition is sent once, by the instance that leads the rollout; a breaker is each instance's own.
/// </summary>
public sealed class FleetNotificationTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task A_rollout_is_told_once_by_its_leader_and_an_isolation_once_by_each_instance()
    {
        await using var fleet = await GatewayFleet.StartAsync(
            redis, 2, resyncInterval: TimeSpan.FromSeconds(1), Notifications.Notifications.Configure([Notifications.Notifications.Hook(_receiver.At("hook"), ["*"])]));
        var (a, b) = (fleet.Instances[0], fleet.Instances[1]);
        using var adminA = a.CreateAdminClient();
        using var adminB = b.CreateAdminClient();
        using var traffic = new BackgroundTraffic(a, b);

        // Started through gw-b, which leads it; gw-a's stream has every save too.
        await adminB.StartRolloutAsync(new
        {
            candidate = "canary",
            strategy = "canary",
            steps = new object[] { new { weight = 20, pause = "00:00:00.5" }, new { weight = 100 } },
            analysis = new { interval = "00:00:00.5", minRequests = 5, maxErrorRate = 0.05, failureLimit = 2, inconclusiveTimeout = "00:00:30" },
        });
        await adminA.WaitForPhaseAsync("Succeeded", TimeSpan.FromSeconds(30));

        // gw-a has seen the end: an isolation it hears of after it is later in its stream, and its notifications keep that
        // order, so once gw-a's breaker.opened is here, any rollout notification of gw-a's would be here too.
        (await adminA.PostAsync("api/clusters/canary/isolate", new { reason = "bad build" })).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(
            () => _receiver.Calls.Count(c => c.Event == NotificationEvents.BreakerOpened) == 2,
            $"not one breaker.opened from each instance: {string.Join(", ", _receiver.Events())}",
            TimeSpan.FromSeconds(15));

        var told = _receiver.Calls.Select(c => c.Json()).Select(n => (Event: n.GetProperty("event").GetString(), Instance: n.GetProperty("instance").GetString())).ToList();
        Assert.Equal(
            [("rollout.started", "gw-b"), ("rollout.step", "gw-b"), ("rollout.step", "gw-b"), ("rollout.promoted", "gw-b")],
            told.Where(t => t.Event!.StartsWith("rollout.", StringComparison.Ordinal)));
        Assert.Equal(["gw-a", "gw-b"], told.Where(t => t.Event == NotificationEvents.BreakerOpened).Select(t => t.Instance).Order());
        Assert.Contains("(led by gw-b)", _receiver.Calls.First().Json().GetProperty("summary").GetString(), StringComparison.Ordinal);
        await traffic.StopAsync();
    }
}
