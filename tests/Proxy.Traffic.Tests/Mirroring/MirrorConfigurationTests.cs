using Microsoft.Extensions.Configuration;
using Proxy.Traffic.Configuration;
using Yarp.ReverseProxy.Configuration;

namespace Proxy.Traffic.Tests.Mirroring;

public class MirrorConfigurationTests
{
    private static TrafficSplitConfig Read(Dictionary<string, string?> mirror)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ReverseProxy:Routes:shop:ClusterId"] = "blue",
            ["ReverseProxy:Clusters:blue:Destinations:d:Address"] = "http://127.0.0.1:1/",
            ["ReverseProxy:Clusters:green:Destinations:d:Address"] = "http://127.0.0.1:2/",
            ["TrafficSplit:Routes:shop:Stable"] = "blue",
            ["TrafficSplit:Routes:shop:Weights:blue"] = "100",
        }).AddInMemoryCollection(mirror.ToDictionary(p => $"TrafficSplit:Routes:shop:Mirror:{p.Key}", p => p.Value)).Build();
        return new TrafficSplitConfigReader(configuration, new ProxyTopology(configuration, Array.Empty<IProxyConfigProvider>())).Read();
    }

    [Fact]
    public void A_mirror_with_only_cluster_and_percentage_gets_safe_defaults()
    {
        var config = Read(new() { ["Cluster"] = "green", ["Percentage"] = "12.5" });

        Assert.True(config.IsValid, string.Join("\n", config.Errors));
        var mirror = config.Mirrors["shop"];
        Assert.Equal("green", mirror.ClusterId);
        Assert.Equal(1250, mirror.BasisPoints);
        Assert.Equal(["GET", "HEAD", "OPTIONS"], mirror.Methods);
        Assert.False(mirror.Allows("POST"));
        Assert.Equal(64 * 1024, mirror.MaxBodyBytes);
        Assert.Equal(64, mirror.MaxConcurrency);
        Assert.Equal(TimeSpan.FromSeconds(5), mirror.Timeout);
    }

    [Fact]
    public void Methods_and_limits_are_taken_as_written()
    {
        var config = Read(new()
        {
            ["Cluster"] = "green", ["Percentage"] = "100", ["Methods:0"] = "post", ["Methods:1"] = "GET",
            ["MaxBodyBytes"] = "0", ["MaxConcurrency"] = "3", ["Timeout"] = "00:00:00.250",
        });

        Assert.True(config.IsValid, string.Join("\n", config.Errors));
        var mirror = config.Mirrors["shop"];
        Assert.Equal(["GET", "POST"], mirror.Methods);
        Assert.True(mirror.Allows("post"));
        Assert.Equal((0L, 3, TimeSpan.FromMilliseconds(250)), (mirror.MaxBodyBytes, mirror.MaxConcurrency, mirror.Timeout));
    }

    [Fact]
    public void Every_mirror_error_is_reported_with_its_configuration_path()
    {
        var config = Read(new()
        {
            ["Cluster"] = "ghost", ["Percentage"] = "100.001", ["Methods:0"] = "GE T",
            ["MaxBodyBytes"] = "-1", ["MaxConcurrency"] = "0", ["Timeout"] = "00:00:00.010",
        });

        string[] expected =
        [
            "TrafficSplit:Routes:shop:Mirror:Cluster: cluster 'ghost' is not defined under ReverseProxy:Clusters",
            "TrafficSplit:Routes:shop:Mirror:Percentage: percentage 100.001 must be between 0 and 100 with at most two decimals",
            "TrafficSplit:Routes:shop:Mirror:Methods:0: 'GE T' is not an HTTP method",
            "TrafficSplit:Routes:shop:Mirror:MaxBodyBytes: must be between 0 and 16777216",
            "TrafficSplit:Routes:shop:Mirror:MaxConcurrency: must be between 1 and 10000",
            "TrafficSplit:Routes:shop:Mirror:Timeout: must be between 00:00:00.1000000 and 00:05:00",
        ];
        Assert.Equal(expected, config.Errors);
    }

    [Fact]
    public void A_mirror_without_cluster_or_percentage_is_refused()
    {
        var config = Read(new() { ["MaxConcurrency"] = "5" });

        Assert.Equal(
            ["TrafficSplit:Routes:shop:Mirror:Cluster: the mirror cluster is required", "TrafficSplit:Routes:shop:Mirror:Percentage: the share of requests to mirror (0–100) is required"],
            config.Errors);
    }
}
