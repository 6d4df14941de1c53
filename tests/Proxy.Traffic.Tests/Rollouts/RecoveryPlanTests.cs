using System.Text.Json;
using Proxy.Traffic.Rollouts;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Tests.Rollouts;

public class RecoveryPlanTests
{
    private static readonly RolloutAnalysisRequest Analysis = new(Interval: TimeSpan.FromSeconds(10), MaxErrorRate: 0.05);

    private static StartRolloutRequest Request(RolloutRollbackRequest? rollback = null, RolloutAnalysisRequest? analysis = null) =>
        new("canary", Steps: [new RolloutStepRequest(10), new RolloutStepRequest(100)], Analysis: analysis ?? Analysis, Rollback: rollback);

    private static string[] Refused(StartRolloutRequest request) =>
        [.. new RolloutPlanValidator().Validate(request).Errors.Select(e => e.PropertyName).Distinct()];

    public static TheoryData<decimal[], string> BadSteps => new()
    {
        { [20, 50, 0], "rollback.steps[1]" },
        { [50, 50, 0], "rollback.steps[1]" },
        { [50, 20], "rollback.steps" },
        { [150, 0], "rollback.steps[0]" },
        { [50.125m, 0], "rollback.steps[0]" },
        { [-10, 0], "rollback.steps[0]" },
        { [], "rollback.steps" },
        { [.. Enumerable.Range(0, 21).Select(i => (decimal)(20 - i))], "rollback.steps" }, // 21 weights, 20 down to 0
    };

    [Theory]
    [MemberData(nameof(BadSteps))]
    public void Rollback_steps_that_do_not_go_strictly_down_to_zero_are_refused_naming_the_field(decimal[] steps, string field) =>
        Assert.Equal([field], Refused(Request(new RolloutRollbackRequest(steps, TimeSpan.FromSeconds(5)))));

    [Theory]
    [InlineData("00:00:00.05")]
    [InlineData("00:03:01")]
    public void A_rollback_interval_outside_the_analysis_range_is_refused(string interval) =>
        Assert.Equal(["rollback.interval"], Refused(Request(new RolloutRollbackRequest([50, 0], TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture)))));

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("8.00:00:00")]
    public void A_fleet_timeout_outside_one_second_to_seven_days_is_refused(string timeout) =>
        Assert.Equal(["analysis.fleetTimeout"], Refused(Request(analysis: Analysis with { FleetTimeout = TimeSpan.Parse(timeout, System.Globalization.CultureInfo.InvariantCulture) })));

    [Fact]
    public void A_gradual_rollback_reads_into_basis_points_with_the_analysis_interval_by_default()
    {
        var request = Request(new RolloutRollbackRequest([50, 20.5m, 0]), Analysis with { DryRun = true });
        Assert.Empty(Refused(request));

        var plan = RolloutPlanReader.Read(request);

        Assert.Equal([5000, 2050, 0], plan.Rollback!.Steps);
        Assert.Equal(TimeSpan.FromSeconds(10), plan.Rollback.Interval);
        Assert.True(plan.Analysis.DryRun);
        Assert.Equal([2050, 0], plan.Rollback.Below(5000));
    }

    [Fact]
    public void A_declared_rollout_reads_its_recovery_settings_from_the_configuration_file()
    {
        var config = Configuration.TrafficSplitConfigReaderTests.Read(new()
        {
            ["TrafficSplit:Routes:shop:Stable"] = "blue",
            ["TrafficSplit:Routes:shop:Weights:blue"] = "100",
            ["TrafficSplit:Routes:shop:Weights:canary"] = "0",
            ["TrafficSplit:Routes:shop:Rollout:Candidate"] = "canary",
            ["TrafficSplit:Routes:shop:Rollout:Steps:0:Weight"] = "100",
            ["TrafficSplit:Routes:shop:Rollout:Analysis:Interval"] = "00:00:10",
            ["TrafficSplit:Routes:shop:Rollout:Analysis:MaxErrorRate"] = "0.05",
            ["TrafficSplit:Routes:shop:Rollout:Analysis:DryRun"] = "true",
            ["TrafficSplit:Routes:shop:Rollout:Analysis:FleetTimeout"] = "00:02:00",
            ["TrafficSplit:Routes:shop:Rollout:Rollback:Steps:0"] = "50",
            ["TrafficSplit:Routes:shop:Rollout:Rollback:Steps:1"] = "0",
            ["TrafficSplit:Routes:shop:Rollout:Rollback:Interval"] = "00:00:20",
        });

        Assert.True(config.IsValid, string.Join("\n", config.Errors));
        var plan = config.DeclaredRollouts["shop"];
        Assert.Equal([5000, 0], plan.Rollback!.Steps);
        Assert.Equal(TimeSpan.FromSeconds(20), plan.Rollback.Interval);
        Assert.Equal((true, TimeSpan.FromMinutes(2)), (plan.Analysis.DryRun, plan.Analysis.FleetTimeout));
    }

    [Fact]
    public void A_plan_without_recovery_settings_is_stored_as_before_so_its_declaration_fingerprint_does_not_change()
    {
        var json = JsonSerializer.Serialize(RolloutPlanReader.Read(Request()), StateJsonContext.Default.RolloutPlan);

        Assert.Contains("\"onInconclusive\":\"rollback\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"rollback\":", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"dryRun\":", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"fleetTimeout\":", json, StringComparison.Ordinal);
    }
}
