using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Cli;

/// <summary>
/// The gateway has no event stream yet (GET /api/events comes with the console issue); these pin what proxyctl does
/// meanwhile. Reading events themselves is untested until the stream exists.
/// </summary>
public class EventsCommandTests
{
    [Fact]
    public async Task Events_against_a_gateway_without_the_stream_explains_in_one_line_and_exits_5()
    {
        await using var env = await TestEnvironment.StartAsync(["blue"], Splits.Route("blue", new() { ["blue"] = 100 }));
        using var cli = new ProxyCtlRunner(env);

        var result = await cli.RunAsync("events", "--route", "shop", "--kinds", "rollout,split");

        Assert.Equal(5, result.ExitCode);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.Contains("has no event stream (GET /api/events answered 404)", result.Error, StringComparison.Ordinal);
    }

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
