using Proxy.Traffic.Configuration;
using Proxy.Traffic.Rollouts;

namespace Proxy.Traffic.Tests.Configuration;

public class DeclaredRolloutConfigTests
{
    private static TrafficSplitConfig Read(Dictionary<string, string?> rollout)
    {
        var split = new Dictionary<string, string?>
        {
            ["TrafficSplit:Routes:shop:Stable"] = "blue",
            ["TrafficSplit:Routes:shop:Weights:blue"] = "100",
            ["TrafficSplit:Routes:shop:Weights:canary"] = "0",
        };
        foreach (var (key, value) in rollout)
        {
            split[$"TrafficSplit:Routes:shop:Rollout:{key}"] = value;
        }

        return TrafficSplitConfigReaderTests.Read(split);
    }

    [Fact]
    public void A_declared_rollout_becomes_a_plan_with_the_api_s_defaults()
    {
        var config = Read(new()
        {
            ["Candidate"] = "canary",
            ["Steps:0:Weight"] = "10",
            ["Steps:0:Pause"] = "00:01:00",
            ["Steps:1:Weight"] = "100",
            ["Analysis:Interval"] = "00:00:10",
            ["Analysis:MaxErrorRate"] = "0.05",
        });

        Assert.True(config.IsValid, string.Join("\n", config.Errors));
        var plan = config.DeclaredRollouts["shop"];
        Assert.Equal(("canary", RolloutStrategy.Canary), (plan.Candidate, plan.Strategy));
        Assert.Equal([new RolloutStep(1000, TimeSpan.FromMinutes(1)), new RolloutStep(10000, null)], plan.Steps);
        Assert.Equal((50, 1, TimeSpan.FromSeconds(50)), (plan.Analysis.MinRequests, plan.Analysis.FailureLimit, plan.Analysis.InconclusiveTimeout));
    }

    [Fact]
    public void An_invalid_declared_rollout_is_reported_with_its_path_and_refuses_the_file()
    {
        var config = Read(new()
        {
            ["Candidate"] = "blue",
            ["Steps:0:Weight"] = "50",
            ["Steps:1:Weight"] = "20",
            ["Analysis:Interval"] = "00:00:10",
        });

        Assert.False(config.IsValid);
        Assert.Contains(config.Errors, e => e.StartsWith("TrafficSplit:Routes:shop:Rollout:candidate:", StringComparison.Ordinal));
        Assert.Contains(config.Errors, e => e.StartsWith("TrafficSplit:Routes:shop:Rollout:steps[1].weight:", StringComparison.Ordinal));
        Assert.Contains(config.Errors, e => e.Contains("set at least one limit", StringComparison.Ordinal));
    }
}
