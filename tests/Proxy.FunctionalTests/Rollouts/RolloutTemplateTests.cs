using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.Rollouts;

namespace Proxy.FunctionalTests.Rollouts;

/// <summary>Rollout templates of the configuration file, used through the admin API and by a declared rollout.</summary>
public class RolloutTemplateTests
{
    private static readonly Dictionary<string, decimal> Weights = new() { ["blue"] = 100, ["canary"] = 0 };

    private static object Standard(decimal firstWeight = 20) => new
    {
        Steps = new object[] { new { Weight = firstWeight, Pause = "00:10:00" }, new { Weight = 100 } },
        Analysis = new { Interval = "00:01:00", MaxErrorRate = 0.01, FailureLimit = 3 },
    };

    private static object Split(object? template = null, object? rollout = null) => new
    {
        Routes = new Dictionary<string, object> { ["shop"] = new { Stable = "blue", Weights, Rollout = rollout } },
        RolloutTemplates = new Dictionary<string, object> { ["standard"] = template ?? Standard() },
    };

    [Fact]
    public async Task A_rollout_started_through_the_api_from_a_template_runs_its_steps_with_the_fields_given_beside_it()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Split());
        using var admin = env.CreateAdminClient();

        var rollout = await admin.StartRolloutAsync(new { template = "Standard", candidate = "canary", analysis = new { maxErrorRate = 0.5 } });

        Assert.Equal(("Progressing", 2, "blue=80, canary=20"), (rollout.GetProperty("phase").GetString(), rollout.GetProperty("stepCount").GetInt32(), rollout.Weights()));
        var plan = RolloutOf(env).Plan;
        Assert.Equal((0.5, 3, TimeSpan.FromMinutes(1)), (plan.Analysis.MaxErrorRate, plan.Analysis.FailureLimit, plan.Analysis.Interval));

        using var viewer = env.CreateAdminClient(TestEnvironment.ViewerKey);
        using var templates = await viewer.GetAsync("api/rollout-templates");
        var standard = (await templates.ReadJsonAsync()).GetProperty("standard");
        Assert.Equal((20m, "00:01:00"), (standard.GetProperty("steps")[0].GetProperty("weight").GetDecimal(), standard.GetProperty("analysis").GetProperty("interval").GetString()));
    }

    [Fact]
    public async Task An_unknown_template_is_a_problem_naming_template_and_starts_nothing()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Split());
        using var admin = env.CreateAdminClient();

        using var response = await admin.PostAsync("api/routes/shop/rollouts", new { template = "fast", candidate = "canary" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.Equal(["template"], errors.EnumerateObject().Select(e => e.Name));
        Assert.Equal("the gateway has no rollout template 'fast' (it has standard)", errors.GetProperty("template")[0].GetString());
        using var current = await admin.GetAsync("api/routes/shop/rollouts/current");
        Assert.Equal((HttpStatusCode.NotFound, 1L), (current.StatusCode, env.Revision("shop")));
    }

    [Fact]
    public async Task A_plan_made_invalid_by_its_override_is_refused_naming_the_field()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Split());
        using var admin = env.CreateAdminClient();

        using var response = await admin.PostAsync("api/routes/shop/rollouts", new { template = "standard", candidate = "canary", steps = new[] { new { weight = 150 } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("steps[0].weight", out _));
        Assert.Equal(1, env.Revision("shop"));
    }

    [Fact]
    public async Task A_rollout_declared_with_a_template_starts_from_it_and_an_edited_template_changes_only_rollouts_started_after_it()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Split(rollout: new { Template = "standard", Candidate = "canary", Analysis = new { FailureLimit = 5 } }));
        using var admin = env.CreateAdminClient();
        var declared = await admin.GetRolloutAsync();
        Assert.Equal(("Progressing", "blue=80, canary=20", "config"), (declared.GetProperty("phase").GetString(), declared.Weights(), RolloutOf(env).Actor));
        Assert.Equal((5, 0.01), (RolloutOf(env).Plan.Analysis.FailureLimit, RolloutOf(env).Plan.Analysis.MaxErrorRate));

        // The template now starts at 40%: the running rollout keeps its plan, and the same declaration starts nothing new.
        await env.WriteConfigAsync(Split(Standard(firstWeight: 40), rollout: new { Template = "standard", Candidate = "canary", Analysis = new { FailureLimit = 5 } }));
        using var viewer = env.CreateAdminClient(TestEnvironment.ViewerKey);
        await Eventually.TrueAsync(async () => await TemplateWeightAsync(viewer) == 40, "the edited template was not applied");
        Assert.Equal((1, "blue=80, canary=20"), ((await admin.GetRolloutAsync()).GetProperty("id").GetInt32(), (await admin.GetRolloutAsync()).Weights()));

        using var aborted = await admin.PostAsync("api/routes/shop/rollouts/current/abort");
        aborted.EnsureSuccessStatusCode();
        var next = await admin.StartRolloutAsync(new { template = "standard", candidate = "canary" });
        Assert.Equal((2, "blue=60, canary=40"), (next.GetProperty("id").GetInt32(), next.Weights()));
    }

    [Fact]
    public async Task An_invalid_template_refuses_the_reload_and_the_last_good_templates_stay_in_force_visibly()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Split());
        using var admin = env.CreateAdminClient();

        await env.WriteConfigAsync(Split(new { Steps = new[] { new { Weight = 20 } }, Analysis = new { Interval = "00:00:10", MaxErrorRate = 2 } }));
        await Eventually.TrueAsync(() => env.ConfigState.Refusal is not null, "the invalid template was not refused");

        Assert.Contains("TrafficSplit:RolloutTemplates:standard:analysis.maxErrorRate: must be between 0 and 1", env.ConfigState.Refusal!.Errors);
        using var config = await admin.GetAsync("api/config");
        Assert.True((await config.ReadJsonAsync()).GetProperty("refused").GetBoolean());
        Assert.Equal(20m, await TemplateWeightAsync(admin));
        var rollout = await admin.StartRolloutAsync(new { template = "standard", candidate = "canary" });
        Assert.Equal("blue=80, canary=20", rollout.Weights());
    }

    private static async Task<decimal> TemplateWeightAsync(HttpClient admin)
    {
        using var response = await admin.GetAsync("api/rollout-templates");
        return (await response.ReadJsonAsync()).GetProperty("standard").GetProperty("steps")[0].GetProperty("weight").GetDecimal();
    }

    private static RolloutState RolloutOf(TestEnvironment env) => env.Services.GetRequiredService<RolloutRegistry>().Get("shop")!;
}
