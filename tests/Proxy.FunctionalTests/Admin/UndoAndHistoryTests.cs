using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Admin;

public class UndoAndHistoryTests
{
    [Fact]
    public async Task Undo_restores_the_previous_revisions_weights_and_the_history_tells_the_whole_story()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 90, ["canary"] = 10 }));
        using var admin = env.CreateAdminClient();
        (await admin.PutWeightsAsync(new { blue = 50, canary = 50 }, reason: "half")).EnsureSuccessStatusCode();
        (await admin.PostAsync("api/routes/shop/promote", new { cluster = "canary", reason = "ship" })).EnsureSuccessStatusCode();

        using var undo = await admin.PostAsync("api/routes/shop/undo", new { reason = "too early" });

        undo.EnsureSuccessStatusCode();
        var route = await undo.ReadJsonAsync();
        Assert.Equal(("blue", "blue=50, canary=50", 4L), (route.GetProperty("stable").GetString(), route.Weights(), route.GetProperty("revision").GetInt64()));
        Assert.Equal("\"4\"", undo.Headers.ETag!.Tag);
        var history = await admin.GetHistoryAsync();
        Assert.Equal(["undo", "promote", "set-weights", "config"], history.Select(h => h.GetProperty("action").GetString()));
        Assert.Equal("blue=0, canary=100", history[0].GetProperty("before").Weights());
        Assert.Equal("blue=50, canary=50", history[0].GetProperty("after").Weights());
        Assert.Equal([4L, 3L, 2L, 1L], history.Select(h => h.GetProperty("revision").GetInt64()));
    }

    [Fact]
    public async Task Runtime_weights_survive_a_restart_until_the_file_changes_the_route()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 90, ["canary"] = 10 }));
        using (var admin = env.CreateAdminClient())
        {
            (await admin.PutWeightsAsync(new { blue = 70, canary = 30 })).EnsureSuccessStatusCode();
        }

        await env.RestartGatewayAsync();
        using (var admin = env.CreateAdminClient())
        {
            var (restored, etag) = await admin.GetRouteAsync();
            Assert.Equal(("blue=70, canary=30", "\"2\""), (restored.Weights(), etag));
            Assert.Equal("blue=90, canary=10", restored.GetProperty("configFile").Weights());
        }

        await env.ReloadAsync(Splits.Route("blue", new() { ["blue"] = 95, ["canary"] = 5 }));
        using (var admin = env.CreateAdminClient())
        {
            var (route, _) = await admin.GetRouteAsync();
            Assert.Equal("blue=95, canary=5", route.Weights());
            var latest = (await admin.GetHistoryAsync())[0];
            Assert.Equal(("config", "blue=70, canary=30"), (latest.GetProperty("source").GetString(), latest.GetProperty("before").Weights()));
            Assert.Contains("replaces the runtime split", latest.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }
    }
}
