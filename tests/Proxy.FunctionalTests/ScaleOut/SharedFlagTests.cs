using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.Flags;
using Proxy.Traffic.State;
using Proxy.Traffic.Tests.State.Redis;

namespace Proxy.FunctionalTests.ScaleOut;

/// <summary>Two gateways on one Redis: a flag's kill switch set through one instance's admin API is in force on the other.</summary>
public sealed class SharedFlagTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const string Flag = "new-checkout";

    private static readonly object Section = new
    {
        Flags = new Dictionary<string, object>
        {
            [Flag] = new
            {
                Variants = new Dictionary<string, string> { ["off"] = "false", ["on"] = "true" },
                Default = "off",
                Routes = new[] { "shop" },
                Rollout = new Dictionary<string, decimal> { ["on"] = 100 },
            },
        },
    };

    [Fact]
    public async Task A_flag_killed_on_one_instance_is_off_for_requests_through_the_other()
    {
        // A re-read interval longer than the test: only the announcement can bring the kill switch to B.
        await using var fleet = await GatewayFleet.StartAsync(redis, 0, resyncInterval: TimeSpan.FromMinutes(5));
        await using var a = await StartAsync(fleet, "gw-a");
        await using var b = await StartAsync(fleet, "gw-b");
        using var adminA = a.CreateAdminClient();
        using var adminB = b.CreateAdminClient();
        var flagsOnB = b.Services.GetRequiredService<FlagStore>();
        var wasOn = flagsOnB.Current.All[Flag].Enabled;

        using (var kill = await adminA.PostAsync($"api/flags/{Flag}/kill", new { reason = "checkout errors" }))
        {
            Assert.Equal(HttpStatusCode.OK, kill.StatusCode);
        }

        await Eventually.TrueAsync(() => !flagsOnB.Current.All[Flag].Enabled, "B did not put A's kill switch in force");
        var upstream = b.Upstream("blue");
        upstream.RecordRequests = true;
        using var client = b.CreateClient(cookies: false);
        var path = $"/seen/{Guid.NewGuid():N}";
        (await client.GetAsync(path)).EnsureSuccessStatusCode();
        var history = await (await adminB.GetAsync($"api/flags/{Flag}/history")).ReadJsonAsync();

        Assert.True(wasOn);
        Assert.Equal($"{Flag}=off", upstream.Stats.RecentRequests.Single(r => r.PathAndQuery == path).Headers.GetValueOrDefault("X-Proxy-Flags"));
        Assert.Equal(("kill", "checkout errors"), (history[0].GetProperty("action").GetString(), history[0].GetProperty("reason").GetString()));
    }

    private static async Task<TestEnvironment> StartAsync(GatewayFleet fleet, string name)
    {
        var instance = await TestEnvironment.StartAsync(["blue"], Section, configureGateway: builder => builder.Configuration.AddInMemoryCollection(fleet.Settings(name)));
        var sync = instance.Services.GetRequiredService<StateSyncStatus>();
        await Eventually.TrueAsync(() => sync.LastSyncAt is not null, $"{name} did not make its first pass over the shared state");
        return instance;
    }
}
