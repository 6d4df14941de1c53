using Proxy.Traffic.Rollouts;

namespace Proxy.Traffic.Tests.Rollouts.Templates;

public class DeclaredTemplateRolloutTests
{
    [Fact]
    public async Task An_edited_template_does_not_start_again_a_rollout_declared_with_it_and_its_new_plan_applies_to_the_next_declaration()
    {
        using var harness = await new RolloutHarness().WithRouteAsync();
        var fingerprints = new Dictionary<string, string> { ["shop"] = "template-declaration-1" };
        await harness.Controller.StartDeclaredAsync(new Dictionary<string, RolloutPlan> { ["shop"] = RolloutHarness.Canary() }, fingerprints, default);
        await harness.Controller.AbortAsync("shop", "ops", default);

        // The template changed the plan; the declaration (what the file says) did not.
        var edited = new Dictionary<string, RolloutPlan> { ["shop"] = RolloutHarness.Canary(null, new RolloutStep(2500, null)) };
        await harness.Controller.StartDeclaredAsync(edited, fingerprints, default);
        Assert.Equal((1, RolloutPhase.Aborted), (harness.Rollout.Id, harness.Rollout.Phase));

        await harness.Controller.StartDeclaredAsync(edited, new Dictionary<string, string> { ["shop"] = "template-declaration-2" }, default);
        Assert.Equal((2, "blue=75%, canary=25% (stable blue)"), (harness.Rollout.Id, harness.Weights()));
    }
}
