using Microsoft.Extensions.DependencyInjection;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.Rollouts;

namespace Proxy.FunctionalTests.Rollouts;

public class RolloutRestartTests
{
    [Fact]
    public async Task A_gateway_restarted_mid_rollout_resumes_it_at_the_same_step()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 100, ["canary"] = 0 }, servedByHeader: Rollouts.ServedBy));
        using (var admin = env.CreateAdminClient())
        {
            await admin.StartRolloutAsync(new
            {
                candidate = "canary",
                steps = new object[] { new { weight = 10, pause = "00:00:01" }, new { weight = 40, pause = "00:10:00" }, new { weight = 100 } },
                analysis = new { interval = "00:00:01", minRequests = 1, maxErrorRate = 0.05 },
            });
            await using var load = new SteadyLoad(env.CreateClient(cookies: false), Rollouts.ServedBy);
            await Eventually.TrueAsync(() => env.Services.GetRequiredService<RolloutRegistry>().Get("shop")!.Step == 1, "the rollout did not reach step 2", TimeSpan.FromSeconds(15));
        }

        await env.RestartGatewayAsync();

        using var restarted = env.CreateAdminClient();
        var rollout = await restarted.GetRolloutAsync();
        Assert.Equal(("Progressing", 1, "blue=60, canary=40"), (rollout.GetProperty("phase").GetString(), rollout.GetProperty("step").GetInt32(), rollout.Weights()));
        Assert.Contains(rollout.GetProperty("events").EnumerateArray(), e => e.GetProperty("message").GetString() == "resumed at step 2 after a restart");
    }
}
