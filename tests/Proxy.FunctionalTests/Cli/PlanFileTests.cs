using Proxy.Cli;
using Proxy.Cli.Commands;
using Proxy.Cli.Files;

namespace Proxy.FunctionalTests.Cli;

public class PlanFileTests
{
    [Fact]
    public void Yaml_plain_numbers_and_booleans_become_JSON_numbers_and_booleans_and_quoted_ones_stay_strings()
    {
        var json = PlanFile.YamlToJson("""
            candidate: canary
            steps:
              - weight: 20
                pause: 00:00:30
              - weight: "100"
            analysis:
              maxErrorRate: 0.05
              dryRun: true
              note: ~
            """)!.ToJsonString();

        Assert.Equal("""{"candidate":"canary","steps":[{"weight":20,"pause":"00:00:30"},{"weight":"100"}],"analysis":{"maxErrorRate":0.05,"dryRun":true,"note":null}}""", json);
    }

    [Fact]
    public void Weight_pairs_parse_with_invariant_decimals_and_refuse_what_is_not_a_pair()
    {
        Assert.Equal(new Dictionary<string, decimal> { ["blue"] = 89.5m, ["canary"] = 10.5m }, RouteCommands.ParseWeights(["blue=89.5", "canary=10.5"]));
        Assert.Equal(ExitCodes.Usage, Assert.Throws<CliException>(() => RouteCommands.ParseWeights(["blue=ten"])).ExitCode);
        Assert.Equal(ExitCodes.Usage, Assert.Throws<CliException>(() => RouteCommands.ParseWeights(["blue=50", "blue=50"])).ExitCode);
        Assert.Equal(ExitCodes.Usage, Assert.Throws<CliException>(() => RouteCommands.ParseWeights(["=50"])).ExitCode);
    }
}
