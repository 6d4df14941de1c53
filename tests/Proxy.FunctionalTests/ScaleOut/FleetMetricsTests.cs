using Microsoft.Extensions.DependencyInjection;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.Rollouts.Metrics;
using Proxy.Traffic.Tests.State.Redis;

namespace Proxy.FunctionalTests.ScaleOut;

/// <summary>Two gateways on one Redis: the rollout analysis of either sees the requests both served.</summary>
public sealed class FleetMetricsTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const int Requests = 20;

    [Fact]
    public async Task Requests_served_only_by_one_instance_are_in_the_analysis_figures_of_the_other()
    {
        await using var fleet = await GatewayFleet.StartAsync(redis, 2, resyncInterval: TimeSpan.FromSeconds(1));
        var (a, b) = (fleet.Instances[0], fleet.Instances[1]);
        using (var client = b.CreateClient())
        {
            for (var i = 0; i < Requests; i++)
            {
                Assert.Equal("blue", await client.GetVersionAsync());
            }
        }

        var fleetSource = a.Services.GetRequiredService<IRolloutMetricsSource>();
        Assert.IsType<RedisFleetMetricsSource>(fleetSource);
        long seen = 0;
        await Eventually.TrueAsync(
            async () => (seen = (await fleetSource.ReadAsync("blue", TimeSpan.FromMinutes(1), default)).Requests) == Requests,
            $"A's fleet figures for blue did not reach the {Requests} requests B served (publish every second, read lag 2-3 s)",
            TimeSpan.FromSeconds(15));

        Assert.Equal(Requests, seen);
        Assert.Equal(0, a.Services.GetRequiredService<ClusterMetricWindows>().Read("blue", TimeSpan.FromMinutes(1)).Requests);
    }
}
