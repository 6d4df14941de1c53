using Proxy.Traffic.Rollouts.Webhooks;
using Proxy.Traffic.Tests.Configuration;

namespace Proxy.Traffic.Tests.Rollouts.Webhooks;

public class DeclaredWebhookConfigTests
{
    private static Dictionary<string, string?> Declared(Dictionary<string, string?> webhooks)
    {
        var split = new Dictionary<string, string?>
        {
            ["TrafficSplit:Routes:shop:Stable"] = "blue",
            ["TrafficSplit:Routes:shop:Weights:blue"] = "100",
            ["TrafficSplit:Routes:shop:Weights:canary"] = "0",
            ["TrafficSplit:Routes:shop:Rollout:Candidate"] = "canary",
            ["TrafficSplit:Routes:shop:Rollout:Steps:0:Weight"] = "10",
            ["TrafficSplit:Routes:shop:Rollout:Steps:1:Weight"] = "100",
            ["TrafficSplit:Routes:shop:Rollout:Analysis:Interval"] = "00:00:10",
            ["TrafficSplit:Routes:shop:Rollout:Analysis:MaxErrorRate"] = "0.05",
        };
        foreach (var (key, value) in webhooks)
        {
            split[$"TrafficSplit:Routes:shop:Rollout:Webhooks:{key}"] = value;
        }

        return split;
    }

    [Fact]
    public void A_declared_rollout_reads_its_webhooks_with_their_metadata()
    {
        var config = TrafficSplitConfigReaderTests.Read(Declared(new()
        {
            ["0:Name"] = "smoke",
            ["0:Type"] = "pre-rollout",
            ["0:Url"] = "http://127.0.0.1:9000/smoke",
            ["0:Timeout"] = "00:01:00",
            ["0:Metadata:suite"] = "checkout",
            ["1:Name"] = "cab",
            ["1:Type"] = "confirm-promotion",
        }));

        Assert.True(config.IsValid, string.Join("\n", config.Errors));
        var hooks = config.DeclaredRollouts["shop"].Webhooks!;
        Assert.Equal(
            [("smoke", RolloutWebhookType.PreRollout, false, TimeSpan.FromMinutes(1)), ("cab", RolloutWebhookType.ConfirmPromotion, true, RolloutWebhook.DefaultTimeout)],
            hooks.Select(h => (h.Name, h.Type, h.IsManual, h.Timeout)));
        Assert.Equal("checkout", hooks[0].Metadata["suite"]);
    }

    [Fact]
    public void A_declared_webhook_without_the_url_its_type_needs_refuses_the_file_naming_it()
    {
        var config = TrafficSplitConfigReaderTests.Read(Declared(new() { ["0:Name"] = "kill", ["0:Type"] = "rollback" }));

        Assert.False(config.IsValid);
        Assert.Contains(config.Errors, e => e.StartsWith("TrafficSplit:Routes:shop:Rollout:webhooks[0].url: a url is required", StringComparison.Ordinal));
    }
}
