using System.Text.Json;
using System.Text.Json.Nodes;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Proxy.DemoBackend;
using Proxy.Gateway;
using Proxy.Traffic.Admin;
using Proxy.Traffic.Admin.Auth;
using Proxy.Traffic.Configuration;
using Proxy.Traffic.Health;
using Proxy.Traffic.Splitting;

namespace Proxy.FunctionalTests.Infrastructure;

/// <summary>
/// A real gateway on 127.0.0.1:0 (proxy and admin listeners) in front of real demo upstreams (one per cluster, also on
/// port 0), configured through a real JSON file that tests can rewrite to exercise hot reload, with its state in a real
/// SQLite file that survives <see cref="RestartGatewayAsync"/>.
/// </summary>
public sealed class TestEnvironment : IAsyncDisposable
{
    /// <summary>An admin API key with the Operator role, named "ops".</summary>
    public const string OperatorKey = "test-operator-key";

    /// <summary>An admin API key with the Viewer role, named "viewer".</summary>
    public const string ViewerKey = "test-viewer-key";

    private static readonly JsonSerializerOptions IgnoreNulls = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private readonly string _directory;
    private readonly Dictionary<string, DemoUpstreamServer> _upstreams;
    private WebApplication? _gateway;
    private Action<JsonObject>? _editConfig;
    private Action<WebApplicationBuilder>? _configureGateway;

    private TestEnvironment(string directory, Dictionary<string, DemoUpstreamServer> upstreams)
    {
        _directory = directory;
        _upstreams = upstreams;
        ConfigFile = Path.Combine(directory, "gateway.json");
        StateFile = Path.Combine(directory, "data", "state.db");
    }

    /// <summary>The gateway's SQLite state file.</summary>
    public string StateFile { get; }

    /// <summary>The admin listener, e.g. http://127.0.0.1:41235/.</summary>
    public Uri AdminAddress { get; private set; } = null!;

    /// <summary>The gateway's configuration file.</summary>
    public string ConfigFile { get; }

    /// <summary>The proxy listener, e.g. http://127.0.0.1:41234/.</summary>
    public Uri ProxyAddress { get; private set; } = null!;

    public IServiceProvider Services => _gateway!.Services;

    public SplitStore Splits => Services.GetRequiredService<SplitStore>();

    public ClusterHealthRegistry Health => Services.GetRequiredService<ClusterHealthRegistry>();

    /// <summary>The upstream behind a cluster (clusters are named after the upstream's version).</summary>
    public DemoUpstreamServer Upstream(string cluster) => _upstreams[cluster];

    /// <summary>Starts one demo upstream per cluster id, then the gateway with the given TrafficSplit section.</summary>
    public static async Task<TestEnvironment> StartAsync(string[] clusters, object trafficSplit, Action<JsonObject>? editConfig = null, Action<WebApplicationBuilder>? configureGateway = null)
    {
        var upstreams = new Dictionary<string, DemoUpstreamServer>();
        foreach (var cluster in clusters)
        {
            var upstream = new DemoUpstreamServer(cluster);
            await upstream.StartAsync();
            upstreams[cluster] = upstream;
        }

        var directory = Directory.CreateTempSubdirectory("proxy-test-").FullName;
        var environment = new TestEnvironment(directory, upstreams) { _configureGateway = configureGateway };
        try
        {
            await environment.WriteConfigAsync(trafficSplit, editConfig);
            await environment.StartGatewayAsync();
            return environment;
        }
        catch
        {
            await environment.DisposeAsync();
            throw;
        }
    }

    /// <summary>Builds and starts the gateway the way Program.cs does; throws what start-up throws.</summary>
    public async Task StartGatewayAsync()
    {
        _gateway = GatewayApplication.Build(
            new GatewayCommandLine(false, ConfigFile, null, ["--Proxy:Urls=http://127.0.0.1:0", "--Admin:Urls=http://127.0.0.1:0", $"--State:Sqlite:Path={StateFile}"]),
            _configureGateway);
        try
        {
            await _gateway.StartAsync();
        }
        catch
        {
            await _gateway.DisposeAsync();
            _gateway = null;
            throw;
        }

        var listeners = _gateway.Services.GetRequiredService<GatewayListeners>();
        ProxyAddress = listeners.ProxyAddresses.Single();
        AdminAddress = listeners.AdminAddresses.Single();
    }

    /// <summary>Stops the gateway (as a shutdown would) and starts a new one on the same configuration and state files.</summary>
    public async Task RestartGatewayAsync()
    {
        await StopGatewayAsync();
        await StartGatewayAsync();
    }

    private async Task StopGatewayAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.StopAsync();
            await _gateway.DisposeAsync();
            _gateway = null;
        }
    }

    /// <summary>Writes the configuration file: a catch-all route "shop" whose clusters are the upstreams, plus the split.</summary>
    public async Task WriteConfigAsync(object trafficSplit, Action<JsonObject>? editConfig = null)
    {
        _editConfig = editConfig ?? _editConfig;
        editConfig = _editConfig;
        var clusters = new JsonObject();
        foreach (var (id, upstream) in _upstreams)
        {
            clusters[id] = new JsonObject
            {
                ["Destinations"] = new JsonObject { ["d1"] = new JsonObject { ["Address"] = upstream.BaseAddress.ToString() } },
            };
        }

        var config = new JsonObject
        {
            ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Warning" } },
            ["ReverseProxy"] = new JsonObject
            {
                ["Routes"] = new JsonObject
                {
                    ["shop"] = new JsonObject { ["ClusterId"] = _upstreams.Keys.First(), ["Match"] = new JsonObject { ["Path"] = "/{**catch-all}" } },
                },
                ["Clusters"] = clusters,
            },
            ["TrafficSplit"] = JsonSerializer.SerializeToNode(trafficSplit, IgnoreNulls),
            ["Admin"] = new JsonObject
            {
                ["ApiKeys"] = new JsonArray(
                    new JsonObject { ["Name"] = "ops", ["Sha256"] = ApiKeyHasher.Hash(OperatorKey), ["Role"] = AdminRoles.Operator },
                    new JsonObject { ["Name"] = "viewer", ["Sha256"] = ApiKeyHasher.Hash(ViewerKey), ["Role"] = AdminRoles.Viewer }),
            },
        };
        editConfig?.Invoke(config);

        // Write then move, so the watcher never reads a half-written file.
        var temporary = ConfigFile + ".tmp";
        await File.WriteAllTextAsync(temporary, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temporary, ConfigFile, overwrite: true);
    }

    /// <summary>Rewrites the file and waits until the gateway has applied it (the route's revision moves).</summary>
    public async Task ReloadAsync(object trafficSplit, string routeId = "shop")
    {
        var before = Revision(routeId);
        await WriteConfigAsync(trafficSplit);
        await Eventually.TrueAsync(() => Revision(routeId) > before, "the gateway did not apply the edited configuration file");
    }

    /// <summary>Turns on YARP active health checks (GET /healthz) for every cluster.</summary>
    public static void ActiveHealthChecks(JsonObject config, TimeSpan interval)
    {
        foreach (var (_, cluster) in config["ReverseProxy"]!["Clusters"]!.AsObject())
        {
            cluster!["HealthCheck"] = new JsonObject
            {
                ["Active"] = new JsonObject
                {
                    ["Enabled"] = true,
                    ["Interval"] = interval.ToString(),
                    ["Timeout"] = "00:00:01",
                    ["Policy"] = "ConsecutiveFailures",
                    ["Path"] = "/healthz",
                },
                ["AvailableDestinationsPolicy"] = "HealthyAndUnknown",
            };
        }
    }

    public long Revision(string routeId) => Splits.TryGetSnapshot(routeId, out var s) ? s.Revision : 0;

    public TrafficSplitConfigState ConfigState => Services.GetRequiredService<TrafficSplitConfigState>();

    public HttpClient CreateClient(bool cookies = true) =>
        new(new SocketsHttpHandler { UseCookies = cookies, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { BaseAddress = ProxyAddress };

    /// <summary>A client of the admin listener, sending <paramref name="key"/> as bearer token (none when null).</summary>
    public HttpClient CreateAdminClient(string? key = OperatorKey)
    {
        var client = new HttpClient { BaseAddress = AdminAddress };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await StopGatewayAsync();

        foreach (var upstream in _upstreams.Values)
        {
            await upstream.DisposeAsync();
        }

        // Pooled SQLite connections keep the file open.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
