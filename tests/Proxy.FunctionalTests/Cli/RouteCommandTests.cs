using System.Text.Json;
using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Cli;

public class RouteCommandTests
{
    private static Task<TestEnvironment> StartAsync() =>
        TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 90, ["canary"] = 10 }));

    [Fact]
    public async Task Routes_list_and_get_show_the_split_as_a_table_and_as_the_APIs_JSON()
    {
        await using var env = await StartAsync();
        using var cli = new ProxyCtlRunner(env);

        var list = await cli.RunAsync("routes", "list");
        var get = await cli.RunAsync("routes", "get", "shop");
        var json = await cli.RunAsync("routes", "get", "shop", "-o", "json");

        Assert.Equal(0, list.ExitCode);
        Assert.Contains("blue=90 canary=10", list.Output, StringComparison.Ordinal);
        Assert.Equal(0, get.ExitCode);
        Assert.Matches(@"Revision\s+1 ", get.Output);
        Assert.Equal(0, json.ExitCode);
        using var document = JsonDocument.Parse(json.Output);
        Assert.Equal("blue=90, canary=10", document.RootElement.Weights());
    }

    [Fact]
    public async Task Weights_set_changes_the_split_and_records_the_reason()
    {
        await using var env = await StartAsync();
        using var cli = new ProxyCtlRunner(env);
        using var admin = env.CreateAdminClient();

        var result = await cli.RunAsync("weights", "set", "shop", "blue=50", "canary=50", "--reason", "first canary step");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("shop: revision 2, stable blue, weights blue=50 canary=50", result.Output, StringComparison.Ordinal);
        var (route, _) = await admin.GetRouteAsync();
        Assert.Equal("blue=50, canary=50", route.Weights());
        var history = await admin.GetHistoryAsync();
        Assert.Equal(("ops", "first canary step"), (history[0].GetProperty("actor").GetString(), history[0].GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Weights_summing_to_110_exit_1_naming_the_field_and_change_nothing()
    {
        await using var env = await StartAsync();
        using var cli = new ProxyCtlRunner(env);

        var result = await cli.RunAsync("weights", "set", "shop", "blue=100", "canary=10");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("proxyctl: weights: weights sum to 110; they must sum to exactly 100", result.Error.Trim());
        Assert.Equal(1, env.Revision("shop"));
    }

    [Fact]
    public async Task A_weight_out_of_range_names_the_cluster_in_one_line()
    {
        await using var env = await StartAsync();
        using var cli = new ProxyCtlRunner(env);

        var result = await cli.RunAsync("weights", "set", "shop", "blue=-50", "canary=150");

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.Contains("weights.canary: weight 150 must be between 0 and 100 with at most two decimals", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stale_if_match_exits_3_and_a_current_one_applies()
    {
        await using var env = await StartAsync();
        using var cli = new ProxyCtlRunner(env);
        Assert.Equal(0, (await cli.RunAsync("weights", "set", "shop", "blue=80", "canary=20")).ExitCode);

        var stale = await cli.RunAsync("weights", "set", "shop", "blue=50", "canary=50", "--if-match", "1");
        var current = await cli.RunAsync("weights", "set", "shop", "blue=70", "canary=30", "--if-match", "2");

        Assert.Equal(3, stale.ExitCode);
        Assert.Contains("If-Match names revision 1, but revision 2 is in force", stale.Error, StringComparison.Ordinal);
        Assert.Equal(0, current.ExitCode);
        Assert.Equal(3, env.Revision("shop"));
    }

    [Fact]
    public async Task A_viewer_key_on_a_write_exits_4_and_no_key_exits_4()
    {
        await using var env = await StartAsync();
        using var viewer = new ProxyCtlRunner(env, TestEnvironment.ViewerKey);
        using var anonymous = new ProxyCtlRunner(env, key: null);

        var write = await viewer.RunAsync("rollback", "shop");
        var read = await viewer.RunAsync("routes", "get", "shop");
        var noKey = await anonymous.RunAsync("routes", "list");

        Assert.Equal(4, write.ExitCode);
        Assert.Equal(0, read.ExitCode);
        Assert.Equal(4, noKey.ExitCode);
        Assert.Contains("An API key is required", noKey.Error, StringComparison.Ordinal);
        Assert.Contains("PROXYCTL_KEY", noKey.Error, StringComparison.Ordinal);
        Assert.Contains("This API key may not do this: Changes need a key with the Operator role.", write.Error, StringComparison.Ordinal);
        Assert.Equal(1, env.Revision("shop"));
    }

    [Fact]
    public async Task Rollback_promote_undo_and_history_change_the_split_as_the_API_does()
    {
        await using var env = await StartAsync();
        using var cli = new ProxyCtlRunner(env);
        using var admin = env.CreateAdminClient();

        var rollback = await cli.RunAsync("rollback", "shop", "--reason", "canary errors");
        var afterRollback = (await admin.GetRouteAsync()).Route.Weights();
        var undo = await cli.RunAsync("undo", "shop");
        var afterUndo = (await admin.GetRouteAsync()).Route.Weights();
        var promote = await cli.RunAsync("promote", "shop", "canary");
        var (afterPromote, _) = await admin.GetRouteAsync();
        var history = await cli.RunAsync("history", "shop");
        var unknown = await cli.RunAsync("promote", "shop", "green");

        Assert.Equal((0, "blue=100, canary=0"), (rollback.ExitCode, afterRollback));
        Assert.Equal((0, "blue=90, canary=10"), (undo.ExitCode, afterUndo));
        Assert.Equal((0, "canary", "blue=0, canary=100"), (promote.ExitCode, afterPromote.GetProperty("stable").GetString(), afterPromote.Weights()));
        Assert.Equal(0, history.ExitCode);
        Assert.Contains("canary errors", history.Output, StringComparison.Ordinal);
        Assert.Matches(@"4\s.*promote", history.Output);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("cluster", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_weight_pair_or_a_missing_argument_is_a_usage_error()
    {
        await using var env = await StartAsync();
        using var cli = new ProxyCtlRunner(env);

        var pair = await cli.RunAsync("weights", "set", "shop", "blue:50");
        var missing = await cli.RunAsync("weights", "set");
        var unknown = await cli.RunAsync("routes", "frobnicate");

        Assert.Equal((2, 2, 2), (pair.ExitCode, missing.ExitCode, unknown.ExitCode));
        Assert.Contains("'blue:50' is not CLUSTER=WEIGHT", pair.Error, StringComparison.Ordinal);
        Assert.Equal(1, env.Revision("shop"));
    }
}
