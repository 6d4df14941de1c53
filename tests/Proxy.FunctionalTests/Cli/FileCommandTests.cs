using System.Text.Json;
using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Cli;

public class FileCommandTests
{
    private const string InvalidConfig = """
        {
          "ReverseProxy": {
            "Routes": { "shop": { "ClusterId": "blue", "Match": { "Path": "/{**catch-all}" } } },
            "Clusters": { "blue": { "Destinations": { "d1": { "Address": "http://127.0.0.1:5101/" } } },
                          "canary": { "Destinations": { "d1": { "Address": "http://127.0.0.1:5103/" } } } }
          },
          "TrafficSplit": {
            "Routes": {
              "shop": { "Stable": "blue", "Weights": { "blue": 100, "canary": 10 } },
              "ghost": { "Stable": "green", "Weights": { "green": 100 } }
            }
          },
          "State": { "Provider": "Postgres" }
        }
        """;

    [Fact]
    public async Task Lint_on_an_invalid_file_exits_1_and_lists_every_error_with_the_gateways_messages()
    {
        using var cli = new ProxyCtlRunner(server: null);
        var file = cli.WriteFile("gateway.json", InvalidConfig);

        var result = await cli.RunAsync("lint", file);

        Assert.Equal(1, result.ExitCode);
        var errors = result.Output.Split('\n').Where(l => l.StartsWith("  - ", StringComparison.Ordinal)).ToArray();
        Assert.Contains(errors, e => e.Contains("TrafficSplit:Routes:shop", StringComparison.Ordinal) && e.Contains("110", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("route 'ghost' is not defined under ReverseProxy:Routes", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("TrafficSplit:Routes:ghost", StringComparison.Ordinal) && e.Contains("'green'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("State:Provider: 'Postgres' is not a state provider", StringComparison.Ordinal));
        Assert.Contains($"{file}: {errors.Length} errors (gateway configuration)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_passes_valid_files_and_checks_rollout_plans_in_yaml_and_json()
    {
        using var cli = new ProxyCtlRunner(server: null);
        var config = Path.Combine(AppContext.BaseDirectory, "config", "demo.json");
        var goodPlan = cli.WriteFile("good.yaml", "candidate: demo-canary\nsteps:\n  - weight: 20\n    pause: 00:00:30\n  - weight: 100\nanalysis:\n  interval: 00:00:10\n  maxErrorRate: 0.05\n");
        var badPlan = cli.WriteFile("bad.json", """{ "candidate": "demo-canary", "steps": [ { "weight": 50 }, { "weight": 20 } ], "analysis": { "interval": "00:00:10" }, "colour": "red" }""");

        var valid = await cli.RunAsync("lint", config, goodPlan);
        var invalid = await cli.RunAsync("lint", goodPlan, badPlan, Path.Combine(cli.Directory, "missing.json"));

        Assert.True(valid.ExitCode == 0, valid.ToString());
        Assert.Contains("valid gateway configuration", valid.Output, StringComparison.Ordinal);
        Assert.Contains("valid rollout plan", valid.Output, StringComparison.Ordinal);
        Assert.Equal(1, invalid.ExitCode);
        Assert.Contains("colour", invalid.Output, StringComparison.Ordinal);
        Assert.Contains("missing.json: 1 error (file)", invalid.Output, StringComparison.Ordinal);
    }

    private const string TemplatesConfig = """
        {
          "ReverseProxy": {
            "Routes": { "shop": { "ClusterId": "blue", "Match": { "Path": "/{**catch-all}" } } },
            "Clusters": { "blue": { "Destinations": { "d1": { "Address": "http://127.0.0.1:5101/" } } },
                          "canary": { "Destinations": { "d1": { "Address": "http://127.0.0.1:5103/" } } } }
          },
          "TrafficSplit": {
            "RolloutTemplates": {
              "standard": { "Steps": [ { "Weight": 10, "Pause": "00:05:00" }, { "Weight": 100 } ],
                            "Analysis": { "Interval": "00:00:30", "MaxErrorRate": 0.01 } }
            },
            "Routes": { "shop": { "Stable": "blue", "Weights": { "blue": 100, "canary": 0 } } }
          }
        }
        """;

    [Fact]
    public async Task Lint_of_a_plan_naming_a_template_checks_its_own_fields_and_warns_that_the_templates_are_checked_by_the_gateway()
    {
        using var cli = new ProxyCtlRunner(server: null);
        var good = cli.WriteFile("good.yaml", "template: standard\ncandidate: demo-canary\nanalysis:\n  maxErrorRate: 0.05\n");
        var bad = cli.WriteFile("bad.json", """{ "template": "standard", "candidate": "demo-canary", "steps": [ { "weight": 50 }, { "weight": 20 } ], "analysis": { "maxErrorRate": 2 } }""");

        var valid = await cli.RunAsync("lint", good);
        var invalid = await cli.RunAsync("lint", bad);

        Assert.True(valid.ExitCode == 0, valid.ToString());
        Assert.Contains($"{good}: valid rollout plan, 1 warning", valid.Output, StringComparison.Ordinal);
        Assert.Contains("  warning: template: names the rollout template 'standard', which is not known here", valid.Output, StringComparison.Ordinal);
        Assert.Contains("checked by the gateway", valid.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("  - ", valid.Output, StringComparison.Ordinal);
        Assert.Equal(1, invalid.ExitCode);
        var errors = invalid.Output.Split('\n').Where(l => l.StartsWith("  - ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, errors.Length); // its own fields only: no analysis.interval, no template error
        Assert.Contains(errors, e => e.StartsWith("  - steps[1].weight: weight 20 is below the previous step's 50", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("  - analysis.maxErrorRate: must be between 0 and 1", StringComparison.Ordinal));
        Assert.Contains($"{bad}: 2 errors, 1 warning (rollout plan)", invalid.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_with_config_merges_a_plan_onto_the_files_template_as_the_gateway_does()
    {
        using var cli = new ProxyCtlRunner(server: null);
        var config = cli.WriteFile("gateway.json", TemplatesConfig);
        var good = cli.WriteFile("good.yaml", "template: Standard\ncandidate: canary\n");
        var steps = cli.WriteFile("steps.json", """{ "template": "standard", "candidate": "canary", "steps": [ { "weight": 50 }, { "weight": 20 } ] }""");
        var unknown = cli.WriteFile("unknown.yaml", "template: fast\ncandidate: canary\n");
        var brokenConfig = cli.WriteFile("broken.json", TemplatesConfig.Replace("\"MaxErrorRate\": 0.01", "\"MaxErrorRate\": 7", StringComparison.Ordinal));
        var blueGreen = cli.WriteFile("blue-green.yaml", "template: standard\ncandidate: canary\nstrategy: blueGreen\n");

        var valid = await cli.RunAsync("lint", good, "--config", config);
        var invalid = await cli.RunAsync("lint", "--config", config, steps, unknown, blueGreen);
        var refused = await cli.RunAsync("lint", good, "--config", brokenConfig);
        var missing = await cli.RunAsync("lint", good, "--config", Path.Combine(cli.Directory, "missing.json"));

        Assert.True(valid.ExitCode == 0, valid.ToString());
        Assert.Equal($"{good}: valid rollout plan", valid.Output.Trim());
        Assert.Equal(1, invalid.ExitCode);
        Assert.Contains($"{steps}: 1 error (rollout plan)", invalid.Output, StringComparison.Ordinal);
        Assert.Contains("  - steps[1].weight: weight 20 is below the previous step's 50", invalid.Output, StringComparison.Ordinal);
        Assert.Contains($"  - template: {config} has no rollout template 'fast' under TrafficSplit:RolloutTemplates (it has standard)", invalid.Output, StringComparison.Ordinal);
        Assert.Contains($"{blueGreen}: 1 error (rollout plan)", invalid.Output, StringComparison.Ordinal); // the template's steps, merged
        Assert.Contains("  - steps: a blueGreen rollout has no steps", invalid.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", invalid.Output, StringComparison.Ordinal);
        Assert.Equal(1, refused.ExitCode); // the gateway would refuse the file, templates and all, as diff refuses it
        Assert.Contains($"--config {brokenConfig} is not valid, the gateway would refuse it", refused.Error, StringComparison.Ordinal);
        Assert.Contains("TrafficSplit:RolloutTemplates:standard:analysis.maxErrorRate: must be between 0 and 1", refused.Error, StringComparison.Ordinal);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--config", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_shows_per_route_what_the_file_would_change_on_the_running_gateway()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 90, ["canary"] = 10 }));
        using var cli = new ProxyCtlRunner(env);
        using var admin = env.CreateAdminClient();
        Assert.Equal(0, (await cli.RunAsync("weights", "set", "shop", "blue=50", "canary=50")).ExitCode);
        var same = cli.WriteFile("same.json", await File.ReadAllTextAsync(env.ConfigFile));
        var changed = JsonSerializer.Deserialize<System.Text.Json.Nodes.JsonObject>(await File.ReadAllTextAsync(env.ConfigFile))!;
        changed["TrafficSplit"]!["Routes"]!["shop"]!["Weights"] = new System.Text.Json.Nodes.JsonObject { ["blue"] = 80, ["canary"] = 20 };
        var other = cli.WriteFile("changed.json", changed.ToJsonString());

        var unchanged = await cli.RunAsync("diff", same, "-o", "json");
        var diff = await cli.RunAsync("diff", other);

        Assert.Equal(0, unchanged.ExitCode);
        using (var document = JsonDocument.Parse(unchanged.Output))
        {
            var shop = document.RootElement.EnumerateArray().Single();
            Assert.Equal("unchanged", shop.GetProperty("change").GetString());
            Assert.Contains("runtime split stable blue, blue=50 canary=50 stays in force", shop.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(0, diff.ExitCode);
        Assert.Contains("changed", diff.Output, StringComparison.Ordinal);
        Assert.Contains("blue=50 canary=50 → stable blue, blue=80 canary=20", diff.Output, StringComparison.Ordinal);

        // The diff told the truth: applying the file does that.
        await env.ReloadAsync(Splits.Route("blue", new() { ["blue"] = 80, ["canary"] = 20 }));
        Assert.Equal("blue=80, canary=20", (await admin.GetRouteAsync()).Route.Weights());
    }

    [Fact]
    public async Task Diff_of_an_invalid_file_exits_1_before_calling_the_gateway()
    {
        using var cli = new ProxyCtlRunner(new Uri("http://127.0.0.1:1/"));
        var file = cli.WriteFile("gateway.json", InvalidConfig);

        var result = await cli.RunAsync("diff", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("the gateway would refuse it", result.Error, StringComparison.Ordinal);
    }
}
