using Proxy.FunctionalTests.Infrastructure;
using Proxy.FunctionalTests.Rollouts;
using Proxy.FunctionalTests.Rollouts.Webhooks;

namespace Proxy.FunctionalTests.Cli;

public class RolloutApproveCommandTests
{
    private const string GatedPlanYaml = """
        candidate: canary
        steps:
          - weight: 15
            pause: "00:10:00"
          - weight: 100
        analysis:
          interval: "00:00:00.5"
          maxErrorRate: 0.05
        webhooks:
          - name: release-manager
            type: confirm-rollout
        """;

    [Fact]
    public async Task Rollout_approve_satisfies_the_manual_gate_with_its_reason_and_exits_3_when_none_waits()
    {
        await using var env = await HookedRollouts.StartAsync();
        using var cli = new ProxyCtlRunner(env);

        var start = await cli.RunAsync("rollout", "start", "shop", "-f", cli.WriteFile("gated.yaml", GatedPlanYaml));
        var status = await cli.RunAsync("rollout", "status", "shop");
        var approve = await cli.RunAsync("rollout", "approve", "shop", "--reason", "go for launch", "-o", "json");
        var again = await cli.RunAsync("rollout", "approve", "shop");

        Assert.True(start.ExitCode == 0, start.ToString());
        Assert.Contains("Waiting", start.Output, StringComparison.Ordinal);
        Assert.Contains("manual confirm-rollout 'release-manager' before the first step", status.Output, StringComparison.Ordinal);
        Assert.True(approve.ExitCode == 0, approve.ToString());
        Assert.Contains("\"phase\":\"Progressing\"", approve.Output, StringComparison.Ordinal);
        Assert.Equal(3, again.ExitCode);
        Assert.Contains("waits at no gate", again.Error, StringComparison.Ordinal);
        using var admin = env.CreateAdminClient();
        var rollout = await admin.GetRolloutAsync();
        Assert.Contains("manual confirm-rollout gate 'release-manager' before the first step approved by ops: go for launch", rollout.Events());
        Assert.Equal("blue=85, canary=15", (await admin.GetRouteAsync()).Route.Weights());
    }
}
