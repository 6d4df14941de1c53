using System.Net;
using System.Text.Json.Nodes;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.Admin.Auth;

namespace Proxy.FunctionalTests.Admin;

public sealed class DurabilityTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("proxy-durability-").FullName;

    [Fact]
    public async Task A_change_acknowledged_right_before_kill_9_is_there_after_a_restart_with_its_history()
    {
        var configFile = WriteConfig();
        await using (var first = await GatewayProcess.StartAsync(configFile, _directory))
        {
            using var admin = first.CreateAdminClient();
            using var response = await admin.PutWeightsAsync(new { blue = 70, canary = 30 }, "\"1\"", reason: "before the crash");
            await first.KillAsync();

            Assert.True(response.StatusCode == HttpStatusCode.OK, first.Output);
        }

        await using var second = await GatewayProcess.StartAsync(configFile, _directory);
        using var restarted = second.CreateAdminClient();
        var (route, etag) = await restarted.GetRouteAsync();
        Assert.Equal(("blue=70, canary=30", "\"2\""), (route.Weights(), etag));
        var latest = (await restarted.GetHistoryAsync())[0];
        Assert.Equal(("set-weights", "ops", "before the crash"), (latest.GetProperty("action").GetString(), latest.GetProperty("actor").GetString(), latest.GetProperty("reason").GetString()));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // Upstreams are never called: the test only talks to the admin API.
    private string WriteConfig()
    {
        var config = new JsonObject
        {
            ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Warning" } },
            ["ReverseProxy"] = new JsonObject
            {
                ["Routes"] = new JsonObject { ["shop"] = new JsonObject { ["ClusterId"] = "blue", ["Match"] = new JsonObject { ["Path"] = "/{**catch-all}" } } },
                ["Clusters"] = new JsonObject
                {
                    ["blue"] = new JsonObject { ["Destinations"] = new JsonObject { ["b1"] = new JsonObject { ["Address"] = "http://127.0.0.1:9/" } } },
                    ["canary"] = new JsonObject { ["Destinations"] = new JsonObject { ["c1"] = new JsonObject { ["Address"] = "http://127.0.0.1:9/" } } },
                },
            },
            ["TrafficSplit"] = new JsonObject
            {
                ["Routes"] = new JsonObject { ["shop"] = new JsonObject { ["Stable"] = "blue", ["Weights"] = new JsonObject { ["blue"] = 90, ["canary"] = 10 } } },
            },
            ["Admin"] = new JsonObject
            {
                ["ApiKeys"] = new JsonArray(new JsonObject { ["Name"] = "ops", ["Sha256"] = ApiKeyHasher.Hash(TestEnvironment.OperatorKey), ["Role"] = "Operator" }),
            },
            ["State"] = new JsonObject { ["Sqlite"] = new JsonObject { ["Path"] = Path.Combine(_directory, "state", "proxy.db") } },
        };
        var file = Path.Combine(_directory, "gateway.json");
        File.WriteAllText(file, config.ToJsonString());
        return file;
    }
}
