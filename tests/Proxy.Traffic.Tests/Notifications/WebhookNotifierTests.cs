using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Proxy.Traffic.Events;
using Proxy.Traffic.Notifications;
using Proxy.Traffic.Rollouts.Coordination;
using static Proxy.Traffic.Tests.Notifications.StreamEvents;

namespace Proxy.Traffic.Tests.Notifications;

public sealed class WebhookNotifierTests : IAsyncLifetime
{
    private readonly IConfigurationRoot _configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Notifications:Webhooks:0:Url"] = "http://127.0.0.1:9/chat",
        ["Notifications:Webhooks:0:Events:0"] = "*",
        ["Notifications:Webhooks:1:Url"] = "http://127.0.0.1:9/audit",
        ["Notifications:Webhooks:1:Events:0"] = "rollout.*",
        ["Notifications:Webhooks:1:Events:1"] = "config.refused",
        ["Notifications:Webhooks:1:Routes:0"] = "shop",
    }).Build();

    private ServiceProvider _services = null!;
    private WebhookNotifier _notifier = null!;

    public async Task InitializeAsync()
    {
        _services = new ServiceCollection()
            .AddSingleton<IConfiguration>(_configuration)
            .AddLogging()
            .AddSingleton<IRolloutCoordination, SingleInstanceCoordination>()
            .AddOptions()
            .AddSingleton<ProxyEventHub>()
            .AddNotifications()
            .BuildServiceProvider();
        _notifier = _services.GetRequiredService<WebhookNotifier>();
        await _notifier.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _notifier.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
    }

    [Fact]
    public void A_reload_keeps_the_receivers_it_leaves_unchanged_with_their_queues_and_replaces_the_changed_one()
    {
        var before = _notifier.InForce.ToArray();

        _configuration["Logging:LogLevel:Default"] = "Debug";
        _configuration.Reload();
        Assert.Equal(before, _notifier.InForce);

        _configuration["Notifications:Webhooks:1:Events:0"] = "breaker.*";
        _configuration.Reload();
        Assert.Same(before[0], _notifier.InForce[0]);
        Assert.NotSame(before[1], _notifier.InForce[1]);
        Assert.Equal(["breaker.*", "config.refused"], _notifier.InForce[1].Webhook.Events);
    }

    [Fact]
    public void The_same_receiver_twice_is_two_receivers_across_reloads()
    {
        _configuration["Notifications:Webhooks:0:Events:1"] = "config.refused";
        _configuration["Notifications:Webhooks:0:Routes:0"] = "shop";
        _configuration["Notifications:Webhooks:1:Url"] = "http://127.0.0.1:9/chat";
        _configuration["Notifications:Webhooks:1:Events:0"] = "*";
        _configuration.Reload();
        var twice = _notifier.InForce.ToArray();

        _configuration["Logging:LogLevel:Default"] = "Debug";
        _configuration.Reload();

        Assert.Equal(2, twice.Distinct().Count());
        Assert.Equal(twice, _notifier.InForce);
    }

    [Fact]
    public void A_receiver_is_named_by_its_host_and_never_by_its_path()
    {
        Assert.Equal(["127.0.0.1:9", "127.0.0.1:9"], _notifier.InForce.Select(r => r.Webhook.Name));
    }

    [Fact]
    public void A_receiver_with_routes_gets_only_their_events_and_those_about_the_whole_gateway()
    {
        var audit = _notifier.InForce[1].Webhook;
        Notification Of(string @event, params string[] routes) => new(@event, "1", Start, routes, "gw-a", "s", null, "{}");

        Assert.True(audit.Wants(Of(NotificationEvents.RolloutPromoted, "shop")));
        Assert.True(audit.Wants(Of(NotificationEvents.RolloutPromoted, "SHOP")));
        Assert.False(audit.Wants(Of(NotificationEvents.RolloutPromoted, "cart")));
        Assert.False(audit.Wants(Of(NotificationEvents.BreakerOpened, "shop")));
        Assert.True(audit.Wants(Of(NotificationEvents.ConfigRefused)));
    }
}
