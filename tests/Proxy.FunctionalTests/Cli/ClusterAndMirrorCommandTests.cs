using System.Text.Json;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.FunctionalTests.Mirroring;

namespace Proxy.FunctionalTests.Cli;

public class ClusterAndMirrorCommandTests
{
    [Fact]
    public async Task Clusters_isolate_reset_and_history_drive_the_breaker_and_its_audit_trail()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 50, ["canary"] = 50 }));
        using var cli = new ProxyCtlRunner(env);
        using var admin = env.CreateAdminClient();

        var isolate = await cli.RunAsync("clusters", "isolate", "canary", "--reason", "bad release");
        var isolated = (await admin.GetRouteAsync()).Route.Weights("effectiveWeights");
        var reset = await cli.RunAsync("clusters", "reset", "canary");
        var afterReset = (await admin.GetRouteAsync()).Route.Weights("effectiveWeights");
        var history = await cli.RunAsync("clusters", "history", "canary", "-o", "json");
        var noReason = await cli.RunAsync("clusters", "isolate", "canary");
        var unknown = await cli.RunAsync("clusters", "isolate", "nope", "--reason", "x");

        Assert.Equal((0, "blue=100, canary=0"), (isolate.ExitCode, isolated));
        Assert.Contains("Isolated", isolate.Output, StringComparison.Ordinal);
        Assert.Equal((0, "blue=50, canary=50"), (reset.ExitCode, afterReset));
        Assert.Equal(0, history.ExitCode);
        using var entries = JsonDocument.Parse(history.Output);
        Assert.Equal(["reset", "isolate"], entries.RootElement.EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(2, noReason.ExitCode);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("Cluster 'nope' is not defined", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mirror_set_get_and_clear_turn_the_dark_launch_on_and_off()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "green"], Mirrors.Route(mirror: null));
        using var cli = new ProxyCtlRunner(env);

        var set = await cli.RunAsync("mirror", "set", "shop", "green", "--percentage", "100", "--reason", "dark launch");
        var inForce = env.MirrorStore().TryGet("shop", out var mirror) ? mirror.Settings : null;
        using (var client = env.CreateClient())
        {
            await client.GetAsync("/");
        }

        await Eventually.TrueAsync(() => env.Comparison().Sent >= 1, "the mirror sent no copy");
        var get = await cli.RunAsync("mirror", "get", "shop");
        var invalid = await cli.RunAsync("mirror", "set", "shop", "green", "--percentage", "101");
        var clear = await cli.RunAsync("mirror", "clear", "shop");

        Assert.Equal(0, set.ExitCode);
        Assert.Equal(("green", 100m), (inForce?.ClusterId, inForce?.Percentage));
        Assert.Equal(0, get.ExitCode);
        Assert.Contains("green 100%", get.Output, StringComparison.Ordinal);
        Assert.Equal(1, invalid.ExitCode);
        Assert.Contains("percentage", invalid.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, clear.ExitCode);
        Assert.False(env.MirrorStore().TryGet("shop", out _));
    }
}
