using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Proxy.Traffic.Health;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Proxy.Traffic.Tests.Health;

/// <summary>
/// What a rollout's analysis hears as the candidate's outage (<see cref="IClusterOutages.OutageOf"/>): only what the
/// cluster's own upstreams did takes it out of rotation, never an operator's isolation.
/// </summary>
public sealed class ClusterOutageTests : IDisposable
{
    private readonly ClusterState _cluster = new("canary");
    private readonly ClusterHealthRegistry _registry;

    public ClusterOutageTests()
    {
        foreach (var id in new[] { "canary-1", "canary-2" })
        {
            _cluster.Destinations[id] = new DestinationState(id);
        }

        _registry = new ClusterHealthRegistry(new OneCluster(_cluster), new FakeTimeProvider(), NullLogger<ClusterBreaker>.Instance);
    }

    public void Dispose() => _registry.Dispose();

    [Fact]
    public void A_cluster_with_healthy_destinations_and_a_closed_breaker_has_no_outage()
    {
        Assert.Null(_registry.OutageOf("canary"));
    }

    [Fact]
    public async Task Active_health_finding_every_destination_unhealthy_is_an_outage_with_its_reason()
    {
        MarkAll(d => d.Health.Active = DestinationHealth.Unhealthy);
        await _registry.OnActiveHealthChangedAsync(_cluster);

        Assert.Equal("active health: 0/2 destinations healthy", _registry.OutageOf("canary"));
    }

    [Fact]
    public async Task The_outage_ends_when_active_health_finds_a_destination_healthy_again()
    {
        MarkAll(d => d.Health.Active = DestinationHealth.Unhealthy);
        await _registry.OnActiveHealthChangedAsync(_cluster);
        _cluster.Destinations["canary-2"].Health.Active = DestinationHealth.Healthy;
        await _registry.OnActiveHealthChangedAsync(_cluster);

        Assert.Null(_registry.OutageOf("canary"));
    }

    [Fact]
    public void Every_destination_unhealthy_by_passive_health_is_an_outage()
    {
        MarkAll(d => d.Health.Passive = DestinationHealth.Unhealthy);

        Assert.Equal("0/2 destinations healthy", _registry.OutageOf("canary"));
    }

    [Fact]
    public void One_destination_left_healthy_is_no_outage()
    {
        _cluster.Destinations["canary-1"].Health.Passive = DestinationHealth.Unhealthy;

        Assert.Null(_registry.OutageOf("canary"));
    }

    [Fact]
    public async Task An_operators_isolation_is_never_an_outage_even_of_a_cluster_without_healthy_destinations()
    {
        MarkAll(d => d.Health.Passive = DestinationHealth.Unhealthy);
        await _registry.IsolateAsync("canary", "maintenance");

        Assert.Null(_registry.OutageOf("canary"));
    }

    private void MarkAll(Action<DestinationState> mark)
    {
        foreach (var destination in _cluster.Destinations.Values)
        {
            mark(destination);
        }
    }

    private sealed class OneCluster(ClusterState cluster) : IProxyStateLookup
    {
        public bool TryGetRoute(string id, [NotNullWhen(true)] out RouteModel? route)
        {
            route = null;
            return false;
        }

        public IEnumerable<RouteModel> GetRoutes() => [];

        public bool TryGetCluster(string id, [NotNullWhen(true)] out ClusterState? state)
        {
            state = string.Equals(id, cluster.ClusterId, StringComparison.OrdinalIgnoreCase) ? cluster : null;
            return state is not null;
        }

        public IEnumerable<ClusterState> GetClusters() => [cluster];
    }
}
