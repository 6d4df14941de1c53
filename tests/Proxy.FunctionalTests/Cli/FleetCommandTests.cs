using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Cli;

/// <summary>proxyctl's <c>fleet</c> against a real gateway.</summary>
public class FleetCommandTests
{
    [Fact]
    public async Task Fleet_lists_this_instance_and_its_routes_revisions()
    {
        await using var env = await TestEnvironment.StartAsync(["blue"], Splits.Route("blue", new() { ["blue"] = 100 }));
        using var cli = new ProxyCtlRunner(env);

        var table = await cli.RunAsync("fleet");
        var json = await cli.RunAsync("fleet", "-o", "json");

        Assert.Equal((0, 0), (table.ExitCode, json.ExitCode));
        Assert.Matches(@"shop\W+1\W+1/1", table.Output);
        Assert.Contains("\"routes\":{\"shop\":{\"revision\":1,\"inForce\":1,\"instances\":1}}", json.Output, StringComparison.Ordinal);
    }
}
