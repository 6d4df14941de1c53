using System.Text.Json;
using Proxy.FunctionalTests.Experiments;
using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Cli;

public class ExperimentAndFlagCommandTests
{
    [Fact]
    public async Task Experiments_commands_show_the_outcome_and_promote_the_winner()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "green"], Experiments.Experiments.Split());
        using var cli = new ProxyCtlRunner(env);
        using var client = env.CreateClient(cookies: false);

        var tooEarly = await cli.RunAsync("experiments", "promote", "shop", Experiments.Experiments.Name);
        env.Upstream("blue").Faults.ErrorRate = 0.8;
        env.Upstream("green").Faults.ErrorRate = 0.2;
        for (var i = 0; i < 600; i++)
        {
            await Experiments.Experiments.VisitAsync(client, $"user-{i}", orders: true);
        }

        var list = await cli.RunAsync("experiments", "list", "shop");
        var get = await cli.RunAsync("experiments", "get", "shop", Experiments.Experiments.Name);
        var json = await cli.RunAsync("experiments", "get", "shop", Experiments.Experiments.Name, "-o", "json");
        var promote = await cli.RunAsync("experiments", "promote", "shop", Experiments.Experiments.Name, "--reason", "ship it");

        Assert.Equal(3, tooEarly.ExitCode);
        Assert.Contains("No arm has won", tooEarly.Error, StringComparison.Ordinal);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("green wins", list.Output, StringComparison.Ordinal);
        Assert.Equal(0, get.ExitCode);
        Assert.Contains("blue (control)", get.Output, StringComparison.Ordinal);
        Assert.Contains("Sample ratio: p =", get.Output, StringComparison.Ordinal);
        using (var document = JsonDocument.Parse(json.Output))
        {
            Assert.Equal("green", document.RootElement.GetProperty("outcome").GetProperty("winner").GetString());
        }

        Assert.Equal(0, promote.ExitCode);
        Assert.Contains("shop: revision 2, stable green, weights blue=0 green=100", promote.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flags_commands_list_change_and_audit_flags()
    {
        var section = new
        {
            Flags = new Dictionary<string, object>
            {
                ["new-checkout"] = new
                {
                    Variants = new Dictionary<string, string> { ["off"] = "false", ["on"] = "true" },
                    Default = "off",
                    Routes = new[] { "shop" },
                    Rollout = new Dictionary<string, decimal> { ["on"] = 20 },
                },
            },
        };
        await using var env = await TestEnvironment.StartAsync(["blue"], section);
        using var cli = new ProxyCtlRunner(env);

        var list = await cli.RunAsync("flags", "list");
        var set = await cli.RunAsync("flags", "set", "new-checkout", "--rollout", "on=50", "--reason", "more");
        var kill = await cli.RunAsync("flags", "kill", "new-checkout", "--reason", "errors");
        var get = await cli.RunAsync("flags", "get", "new-checkout");
        var history = await cli.RunAsync("flags", "history", "new-checkout", "-o", "json");
        var invalid = await cli.RunAsync("flags", "set", "new-checkout", "--rollout", "on=150");
        var unknown = await cli.RunAsync("flags", "kill", "nope");

        Assert.Equal(0, list.ExitCode);
        Assert.Contains("new-checkout", list.Output, StringComparison.Ordinal);
        Assert.Equal((0, "new-checkout: on, default off, rollout on=50 (from api)"), (set.ExitCode, set.Output.Trim()));
        Assert.Equal((0, "new-checkout: KILLED, default off, rollout on=50 (from api)"), (kill.ExitCode, kill.Output.Trim()));
        Assert.Contains("on, default off, rollout on=20", get.Output, StringComparison.Ordinal);
        using (var document = JsonDocument.Parse(history.Output))
        {
            Assert.Equal(["kill", "set-flag"], document.RootElement.EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        }

        Assert.Equal(1, invalid.ExitCode);
        Assert.Contains("rollout.on", invalid.Error, StringComparison.Ordinal);
        Assert.Equal(1, unknown.ExitCode);
    }
}
