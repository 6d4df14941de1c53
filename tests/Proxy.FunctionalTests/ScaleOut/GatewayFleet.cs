using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.State;
using Proxy.Traffic.Tests.State.Redis;

namespace Proxy.FunctionalTests.ScaleOut;

/// <summary>
/// Several real gateways sharing one Redis under their own key prefix, as instances behind an L4 balancer would. Each runs
/// in front of its own demo upstreams (blue and canary), from the same TrafficSplit section: blue 100, canary 0.
/// </summary>
public sealed class GatewayFleet : IAsyncDisposable
{
    private readonly RedisServer _redis;
    private readonly string _prefix = "fleet-" + Guid.NewGuid().ToString("N");
    private readonly TimeSpan _resyncInterval;
    private readonly Action<JsonObject>? _editConfig;
    private readonly List<TestEnvironment> _instances = [];

    private GatewayFleet(RedisServer redis, TimeSpan resyncInterval, Action<JsonObject>? editConfig)
    {
        _redis = redis;
        _resyncInterval = resyncInterval;
        _editConfig = editConfig;
    }

    public IReadOnlyList<TestEnvironment> Instances => _instances;

    /// <summary>The settings that put a gateway in this fleet under <paramref name="name"/>, as configuration keys.</summary>
    public IReadOnlyDictionary<string, string?> Settings(string name) => new Dictionary<string, string?>
    {
        ["State:Provider"] = "Redis",
        ["State:Redis:Configuration"] = _redis.Configuration,
        ["State:Redis:KeyPrefix"] = _prefix,
        ["State:Redis:InstanceName"] = name,
        ["State:Redis:ResyncInterval"] = _resyncInterval.ToString(),
    };

    /// <summary>
    /// Starts <paramref name="count"/> instances together; <paramref name="resyncInterval"/> is the safety-net re-read,
    /// <paramref name="editConfig"/> edits every instance's configuration file.
    /// </summary>
    public static async Task<GatewayFleet> StartAsync(RedisServer redis, int count, TimeSpan resyncInterval, Action<JsonObject>? editConfig = null)
    {
        var fleet = new GatewayFleet(redis, resyncInterval, editConfig);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, count).Select(_ => fleet.AddInstanceAsync()));
            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more instance (whether Redis is up or not).</summary>
    public async Task<TestEnvironment> AddInstanceAsync()
    {
        string name;
        lock (_instances)
        {
            name = "gw-" + (char)('a' + _instances.Count);
            _instances.Add(null!);
        }

        var index = name[^1] - 'a';
        var instance = await TestEnvironment.StartAsync(
            ["blue", "canary"],
            Splits.Route("blue", new() { ["blue"] = 100, ["canary"] = 0 }),
            _editConfig,
            configureGateway: builder => builder.Configuration.AddInMemoryCollection(Settings(name)));
        lock (_instances)
        {
            _instances[index] = instance;
        }

        // Subscribed and caught up (or, with Redis down, failed once): from here on a change elsewhere reaches it.
        var sync = instance.Services.GetRequiredService<StateSyncStatus>();
        await Eventually.TrueAsync(() => sync.LastSyncAt is not null || sync.Detail is not null, $"{name} did not make its first pass over the shared state");
        return instance;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances.Where(i => i is not null))
        {
            await instance.DisposeAsync();
        }
    }
}
