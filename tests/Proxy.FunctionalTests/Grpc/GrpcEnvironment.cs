using System.Text.Json.Nodes;
using Grpc.Net.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Proxy.DemoBackend;
using Proxy.DemoBackend.Grpc;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Gateway;

namespace Proxy.FunctionalTests.Grpc;

/// <summary>
/// A gateway with an h2c proxy listener and a split route <c>grpc</c> over two gRPC demo upstreams (<c>grpc-blue</c>,
/// <c>grpc-canary</c>, HTTP/2 to the upstream), beside the usual <c>shop</c> route.
/// </summary>
public sealed class GrpcEnvironment : IAsyncDisposable
{
    private readonly DemoUpstreamServer[] _upstreams;
    private readonly GrpcChannel _channel;

    private GrpcEnvironment(TestEnvironment gateway, DemoUpstreamServer[] upstreams)
    {
        Gateway = gateway;
        _upstreams = upstreams;
        var h2c = gateway.Services.GetRequiredService<GatewayListeners>().H2cAddresses.Single();
        // Without cookies each call is a new visitor (the gateway's sticky cookie would pin the channel to one version).
        _channel = GrpcChannel.ForAddress(h2c, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { UseCookies = false } });
        Client = new DemoService.DemoServiceClient(_channel);
    }

    public TestEnvironment Gateway { get; }

    public DemoUpstreamServer Blue => _upstreams[0];

    public DemoUpstreamServer Canary => _upstreams[1];

    /// <summary>A client of the gateway's h2c listener.</summary>
    public DemoService.DemoServiceClient Client { get; }

    /// <summary>Starts the upstreams and the gateway; <paramref name="canaryWeight"/> of new calls go to grpc-canary.</summary>
    public static async Task<GrpcEnvironment> StartAsync(decimal canaryWeight, object? circuitBreaker = null)
    {
        DemoUpstreamServer[] upstreams = [new("grpc-blue") { GrpcPort = 0 }, new("grpc-canary") { GrpcPort = 0 }];
        foreach (var upstream in upstreams)
        {
            await upstream.StartAsync();
        }

        var split = new
        {
            CircuitBreaker = circuitBreaker,
            Routes = new Dictionary<string, object>
            {
                ["grpc"] = new
                {
                    Stable = "grpc-blue",
                    Weights = new Dictionary<string, decimal> { ["grpc-blue"] = 100 - canaryWeight, ["grpc-canary"] = canaryWeight },
                    Sticky = new { Key = "header:x-user-id" },
                    Overrides = new[] { new { Header = "x-variant", Values = new Dictionary<string, string> { ["canary"] = "grpc-canary" } } },
                },
            },
        };

        try
        {
            var gateway = await TestEnvironment.StartAsync(
                ["blue"],
                split,
                editConfig: config => AddGrpcRoute(config, upstreams),
                configureGateway: builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [GatewayListeners.H2cUrlsSetting] = "http://127.0.0.1:0" }));
            return new GrpcEnvironment(gateway, upstreams);
        }
        catch
        {
            foreach (var upstream in upstreams)
            {
                await upstream.DisposeAsync();
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await Gateway.DisposeAsync();
        foreach (var upstream in _upstreams)
        {
            await upstream.DisposeAsync();
        }
    }

    private static void AddGrpcRoute(JsonObject config, DemoUpstreamServer[] upstreams)
    {
        var proxy = config["ReverseProxy"]!;
        proxy["Routes"]!["grpc"] = new JsonObject
        {
            ["ClusterId"] = "grpc-blue",
            ["Match"] = new JsonObject { ["Path"] = "/proxy.demo.DemoService/{**method}" },
        };
        foreach (var upstream in upstreams)
        {
            proxy["Clusters"]![upstream.Version] = new JsonObject
            {
                ["Destinations"] = new JsonObject { ["d1"] = new JsonObject { ["Address"] = upstream.GrpcAddress!.ToString() } },
                ["HttpRequest"] = new JsonObject { ["Version"] = "2", ["VersionPolicy"] = "RequestVersionExact" },
            };
        }
    }
}
