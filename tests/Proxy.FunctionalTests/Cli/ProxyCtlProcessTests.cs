using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Cli;

/// <summary>The built tool as a process: what a pipeline step runs.</summary>
public class ProxyCtlProcessTests
{
    [Fact]
    public async Task The_built_tool_sets_weights_and_returns_the_exit_codes_of_the_contract()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 90, ["canary"] = 10 }));
        using var cli = new ProxyCtlRunner(env);

        var set = await cli.RunProcessAsync("weights", "set", "shop", "blue=50", "canary=50", "--reason", "from a pipeline");
        var invalid = await cli.RunProcessAsync("weights", "set", "shop", "blue=100", "canary=10");
        var usage = await cli.RunProcessAsync("weights");

        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.Equal("blue=50, canary=50", (await env.CreateAdminClient().GetRouteAsync()).Route.Weights());
        Assert.Equal(1, invalid.ExitCode);
        Assert.Equal("proxyctl: weights: weights sum to 110; they must sum to exactly 100", invalid.Error.Trim());
        Assert.Equal(2, usage.ExitCode);
        Assert.DoesNotContain("   at ", set.Error + invalid.Error + usage.Error, StringComparison.Ordinal);
    }
}
