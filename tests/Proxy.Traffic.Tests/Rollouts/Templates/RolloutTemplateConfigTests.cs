using Proxy.Traffic.Configuration;
using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Tests.Configuration;

namespace Proxy.Traffic.Tests.Rollouts.Templates;

public class RolloutTemplateConfigTests
{
    private static readonly Dictionary<string, string?> Standard = new()
    {
        ["TrafficSplit:RolloutTemplates:standard:Steps:0:Weight"] = "10",
        ["TrafficSplit:RolloutTemplates:standard:Steps:0:Pause"] = "00:01:00",
        ["TrafficSplit:RolloutTemplates:standard:Steps:1:Weight"] = "100",
        ["TrafficSplit:RolloutTemplates:standard:Analysis:Interval"] = "00:00:10",
        ["TrafficSplit:RolloutTemplates:standard:Analysis:MaxErrorRate"] = "0.01",
        ["TrafficSplit:RolloutTemplates:standard:Analysis:Metrics:0:Name"] = "checkout-errors",
        ["TrafficSplit:RolloutTemplates:standard:Analysis:Metrics:0:Prometheus:Address"] = "http://127.0.0.1:9090",
        ["TrafficSplit:RolloutTemplates:standard:Analysis:Metrics:0:Prometheus:Query"] = "sum(x{cluster=\"{{candidate}}\"})",
        ["TrafficSplit:RolloutTemplates:standard:Analysis:Metrics:0:Max"] = "0.02",
    };

    private static TrafficSplitConfig Read(Dictionary<string, string?> templates, Dictionary<string, string?>? rollout = null)
    {
        var split = new Dictionary<string, string?>(templates)
        {
            ["TrafficSplit:Routes:shop:Stable"] = "blue",
            ["TrafficSplit:Routes:shop:Weights:blue"] = "100",
            ["TrafficSplit:Routes:shop:Weights:canary"] = "0",
        };
        foreach (var (key, value) in rollout ?? [])
        {
            split[$"TrafficSplit:Routes:shop:Rollout:{key}"] = value;
        }

        return TrafficSplitConfigReaderTests.Read(split);
    }

    [Fact]
    public void A_declared_rollout_naming_a_template_runs_the_template_s_plan_with_its_own_fields_over_it()
    {
        var config = Read(Standard, new() { ["Template"] = "Standard", ["Candidate"] = "canary", ["Analysis:MaxErrorRate"] = "0.05" });

        Assert.True(config.IsValid, string.Join("\n", config.Errors));
        var plan = config.DeclaredRollouts["shop"];
        Assert.Equal([new RolloutStep(1000, TimeSpan.FromMinutes(1)), new RolloutStep(10000, null)], plan.Steps);
        Assert.Equal((0.05, TimeSpan.FromSeconds(10)), (plan.Analysis.MaxErrorRate, plan.Analysis.Interval));
        Assert.Equal(("checkout-errors", 0.02), (plan.Analysis.Metrics!.Single().Name, plan.Analysis.Metrics![0].Max));
        Assert.Equal(["standard"], config.RolloutTemplates.Keys);
    }

    [Fact]
    public void An_invalid_template_refuses_the_configuration_naming_its_field_and_the_routes_using_it()
    {
        var config = Read(
            new(Standard) { ["TrafficSplit:RolloutTemplates:standard:Analysis:Metrics:0:Min"] = "0.5" },
            new() { ["Template"] = "standard", ["Candidate"] = "canary" });

        Assert.False(config.IsValid);
        Assert.Equal(
            [
                "TrafficSplit:RolloutTemplates:standard:analysis.metrics[0].min: must be at most max (0.02)",
                "TrafficSplit:Routes:shop:Rollout:template: template 'standard' is not valid (its errors are listed)",
            ],
            config.Errors);
    }

    [Fact]
    public void An_unknown_template_refuses_the_configuration_naming_the_declaration_s_template()
    {
        var config = Read(Standard, new() { ["Template"] = "fast", ["Candidate"] = "canary" });

        Assert.Equal(["TrafficSplit:Routes:shop:Rollout:template: no template 'fast' under TrafficSplit:RolloutTemplates"], config.Errors);
    }

    [Fact]
    public void A_template_may_leave_out_the_candidate_but_not_the_rest_of_a_plan_and_names_no_template()
    {
        var config = Read(new()
        {
            ["TrafficSplit:RolloutTemplates:half:Steps:0:Weight"] = "50",
            ["TrafficSplit:RolloutTemplates:half:Template"] = "standard",
        });

        Assert.Equal(
            [
                "TrafficSplit:RolloutTemplates:half:template: a template cannot name another template",
                "TrafficSplit:RolloutTemplates:half:analysis: an analysis is required",
            ],
            config.Errors);
    }

    [Fact]
    public void A_declaration_naming_a_template_is_told_apart_by_what_the_file_says_not_by_the_template()
    {
        var declaration = new Dictionary<string, string?> { ["Template"] = "standard", ["Candidate"] = "canary" };
        var first = Read(Standard, declaration);
        var editedTemplate = Read(new(Standard) { ["TrafficSplit:RolloutTemplates:standard:Analysis:MaxErrorRate"] = "0.2" }, declaration);
        var editedDeclaration = Read(Standard, new(declaration) { ["Analysis:FailureLimit"] = "2" });

        Assert.NotEqual(first.DeclaredRollouts["shop"].Analysis.MaxErrorRate, editedTemplate.DeclaredRollouts["shop"].Analysis.MaxErrorRate);
        Assert.Equal(first.DeclaredRolloutFingerprints["shop"], editedTemplate.DeclaredRolloutFingerprints["shop"]);
        Assert.NotEqual(first.DeclaredRolloutFingerprints["shop"], editedDeclaration.DeclaredRolloutFingerprints["shop"]);
    }

    [Fact]
    public void A_declaration_without_a_template_keeps_being_told_apart_by_its_plan() =>
        Assert.Empty(Read(Standard, new() { ["Candidate"] = "canary", ["Steps:0:Weight"] = "100", ["Analysis:Interval"] = "00:00:10", ["Analysis:MaxErrorRate"] = "0.1" })
            .DeclaredRolloutFingerprints);
}
