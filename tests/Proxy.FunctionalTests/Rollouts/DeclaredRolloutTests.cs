using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Rollouts;

public class DeclaredRolloutTests
{
    private static readonly object Declared = new
    {
        Routes = new Dictionary<string, object>
        {
            ["shop"] = new
            {
                Stable = "blue",
                Weights = new Dictionary<string, decimal> { ["blue"] = 100, ["canary"] = 0 },
                Rollout = new
                {
                    Candidate = "canary",
                    Steps = new object[] { new { Weight = 20, Pause = "00:10:00" }, new { Weight = 100 } },
                    Analysis = new { Interval = "00:00:05", MaxErrorRate = 0.05 },
                },
            },
        },
    };

    [Fact]
    public async Task A_rollout_declared_in_configuration_starts_without_an_api_call_and_only_once()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Declared);
        using (var admin = env.CreateAdminClient())
        {
            var rollout = await admin.GetRolloutAsync();
            Assert.Equal(("Progressing", 1, "blue=80, canary=20"), (rollout.GetProperty("phase").GetString(), rollout.GetProperty("id").GetInt32(), rollout.Weights()));
            var (route, _) = await admin.GetRouteAsync();
            Assert.Equal("canary", route.GetProperty("rollout").GetProperty("candidate").GetString());
            Assert.StartsWith("started by config", rollout.GetProperty("events")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
            using var aborted = await admin.PostAsync("api/routes/shop/rollouts/current/abort");
            aborted.EnsureSuccessStatusCode();
        }

        // The same declaration after a restart: the rollout it started has ended and is not started again.
        await env.RestartGatewayAsync();
        using var restarted = env.CreateAdminClient();
        var after = await restarted.GetRolloutAsync();
        Assert.Equal(("Aborted", 1, "blue=100, canary=0"), (after.GetProperty("phase").GetString(), after.GetProperty("id").GetInt32(), after.Weights()));
    }
}
