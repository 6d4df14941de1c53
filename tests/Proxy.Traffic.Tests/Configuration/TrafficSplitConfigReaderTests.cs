using Microsoft.Extensions.Configuration;
using Proxy.Traffic.Configuration;
using Yarp.ReverseProxy.Configuration;

namespace Proxy.Traffic.Tests.Configuration;

public class TrafficSplitConfigReaderTests
{
    private static readonly Dictionary<string, string?> Topology = new()
    {
        ["ReverseProxy:Routes:shop:ClusterId"] = "blue",
        ["ReverseProxy:Clusters:blue:Destinations:d:Address"] = "http://127.0.0.1:1/",
        ["ReverseProxy:Clusters:canary:Destinations:d:Address"] = "http://127.0.0.1:2/",
    };

    /// <summary>Reads a TrafficSplit section over a topology with route shop and clusters blue and canary.</summary>
    internal static TrafficSplitConfig Read(Dictionary<string, string?> split, Dictionary<string, string?>? later = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Topology).AddInMemoryCollection(split).AddInMemoryCollection(later ?? []).Build();
        return new TrafficSplitConfigReader(configuration, new ProxyTopology(configuration, Array.Empty<IProxyConfigProvider>())).Read();
    }

    [Fact]
    public void Valid_split_becomes_a_definition_in_basis_points()
    {
        var config = Read(new()
        {
            ["TrafficSplit:Routes:shop:Stable"] = "blue",
            ["TrafficSplit:Routes:shop:Weights:blue"] = "87.5",
            ["TrafficSplit:Routes:shop:Weights:canary"] = "12.5",
            ["TrafficSplit:Routes:shop:Sticky:Key"] = "header:X-User-Id",
        });

        Assert.True(config.IsValid, string.Join("\n", config.Errors));
        var shop = config.Routes["shop"];
        Assert.Equal(1250, shop.WeightOf("canary"));
        Assert.Equal("X-User-Id", shop.Sticky!.KeyHeader);
        Assert.Equal("proxy-variant", shop.Sticky.CookieName);
    }

    [Fact]
    public void Every_error_is_reported_with_its_path()
    {
        var config = Read(new()
        {
            ["TrafficSplit:Routes:shop:Weights:blue"] = "90.123",
            ["TrafficSplit:Routes:shop:Weights:ghost"] = "-1",
            ["TrafficSplit:Routes:shop:Sticky:Key"] = "query:user",
            ["TrafficSplit:Routes:shop:Overrides:0:Values:x"] = "purple",
            ["TrafficSplit:Routes:nowhere:Stable"] = "blue",
            ["TrafficSplit:Routes:nowhere:Weights:blue"] = "100",
        });

        Assert.False(config.IsValid);
        string[] expected =
        [
            "TrafficSplit:Routes:shop:Stable: the stable cluster is required",
            "TrafficSplit:Routes:shop:Weights:blue: weight 90.123 must be between 0 and 100 with at most two decimals",
            "TrafficSplit:Routes:shop:Weights:ghost: cluster 'ghost' is not defined under ReverseProxy:Clusters",
            "TrafficSplit:Routes:shop:Weights:ghost: weight -1 must be between 0 and 100 with at most two decimals",
            "TrafficSplit:Routes:shop:Sticky:Key: 'query:user' must be 'header:NAME' or 'cookie:NAME'",
            "TrafficSplit:Routes:shop:Overrides:0: set exactly one of Header or Cookie",
            "TrafficSplit:Routes:shop:Overrides:0:Values:x: cluster 'purple' must be listed in the route's Weights",
            "TrafficSplit:Routes:nowhere: route 'nowhere' is not defined under ReverseProxy:Routes",
        ];
        Assert.Equal(expected.Order(), config.Errors.Order());
    }

    [Fact]
    public void Stable_must_take_part_in_the_split()
    {
        var config = Read(new()
        {
            ["TrafficSplit:Routes:shop:Stable"] = "canary",
            ["TrafficSplit:Routes:shop:Weights:blue"] = "100",
        });

        Assert.Equal(["TrafficSplit:Routes:shop:Stable: stable cluster 'canary' must be listed in Weights"], config.Errors);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_an_error_not_an_exception()
    {
        var config = Read(new()
        {
            ["TrafficSplit:Routes:shop:Stable"] = "blue",
            ["TrafficSplit:Routes:shop:Weights:blue"] = "ninety",
        });

        Assert.Equal(["TrafficSplit:Routes:shop:Weights:blue: weight 'ninety' is not a number"], config.Errors);
    }

    [Fact]
    public void A_misspelt_key_is_an_error()
    {
        var config = Read(new()
        {
            ["TrafficSplit:Routes:shop:Stabel"] = "blue",
            ["TrafficSplit:Routes:shop:Weights:blue"] = "100",
        });

        var error = Assert.Single(config.Errors);
        Assert.StartsWith("TrafficSplit: ", error);
        Assert.Contains("Stabel", error);
    }

    [Fact]
    public void Breaker_thresholds_are_validated_and_inherited_route_over_defaults()
    {
        var invalid = Read(new()
        {
            ["TrafficSplit:CircuitBreaker:FailureRatio"] = "1.5",
            ["TrafficSplit:Routes:shop:Stable"] = "blue",
            ["TrafficSplit:Routes:shop:Weights:blue"] = "100",
            ["TrafficSplit:Routes:shop:CircuitBreaker:BreakDuration"] = "00:00:00.1",
        });

        Assert.Equal(
            [
                "TrafficSplit:CircuitBreaker:FailureRatio: must be greater than 0 and at most 1",
                "TrafficSplit:Routes:shop:CircuitBreaker:BreakDuration: must be at least 00:00:00.5",
            ],
            invalid.Errors);

        var valid = Read(new()
        {
            ["TrafficSplit:CircuitBreaker:FailureRatio"] = "0.2",
            ["TrafficSplit:Routes:shop:Stable"] = "blue",
            ["TrafficSplit:Routes:shop:Weights:blue"] = "90",
            ["TrafficSplit:Routes:shop:Weights:canary"] = "10",
            ["TrafficSplit:Routes:shop:CircuitBreaker:MinimumThroughput"] = "5",
        });

        Assert.True(valid.IsValid, string.Join("\n", valid.Errors));
        Assert.Equal(0.2, valid.BreakerDefaults.FailureRatio);
        Assert.Equal(new Proxy.Traffic.Health.CircuitBreakerSettings { FailureRatio = 0.2, MinimumThroughput = 5 }, valid.Breakers["canary"]);
    }

    [Fact]
    public void Flag_names_differing_only_in_case_in_one_file_are_refused_with_their_path()
    {
        // IConfiguration would merge the two into one flag: Checkout, silently at a 20 % rollout.
        const string file = """
            { "TrafficSplit": { "Flags": {
                "Checkout": { "Variants": { "on": "true", "off": "false" }, "Default": "off", "Routes": [ "*" ] },
                "checkout": { "Rollout": { "on": 20 } } } } }
            """;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Topology)
            .AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(file))).Build();

        var errors = new TrafficSplitConfigurationCheck([]).Check(configuration).ToArray();

        var error = Assert.Single(errors);
        Assert.StartsWith("TrafficSplit:Flags:checkout: flag names must differ in more than case ('Checkout', 'checkout')", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flag_spelt_in_another_case_by_a_second_source_is_refused()
    {
        var config = Read(new()
        {
            ["TrafficSplit:Flags:search:Variants:v1"] = "v1",
            ["TrafficSplit:Flags:search:Variants:v2"] = "v2",
            ["TrafficSplit:Flags:search:Default"] = "v1",
            ["TrafficSplit:Flags:search:Routes:0"] = "shop",
        }, new()
        {
            ["TrafficSplit:Flags:SEARCH:Default"] = "v2",
        });

        Assert.Equal(
            ["TrafficSplit:Flags:search: flag names must differ in more than case ('SEARCH', 'search'); spell the flag the same way in every source, or give the flags different names"],
            config.Errors);
    }

    [Fact]
    public void A_route_has_one_experiment_so_two_sources_spelling_its_name_differently_give_one()
    {
        // The experiment's runtime setting is keyed route/name case-insensitively; a second experiment on the route cannot exist to share it.
        Dictionary<string, string?> experiment = new()
        {
            ["TrafficSplit:Routes:shop:Stable"] = "blue",
            ["TrafficSplit:Routes:shop:Weights:blue"] = "50",
            ["TrafficSplit:Routes:shop:Weights:canary"] = "50",
            ["TrafficSplit:Routes:shop:Sticky:Key"] = "header:X-User-Id",
            ["TrafficSplit:Routes:shop:Experiment:Name"] = "Checkout",
            ["TrafficSplit:Routes:shop:Experiment:Goals:0:Name"] = "order",
            ["TrafficSplit:Routes:shop:Experiment:Goals:0:Path"] = "/api/orders",
        };

        var config = Read(experiment, new() { ["TrafficSplit:Routes:SHOP:Experiment:Name"] = "checkout" });

        Assert.True(config.IsValid, string.Join("\n", config.Errors));
        Assert.Equal("checkout", Assert.Single(config.Experiments).Name);
    }
}
