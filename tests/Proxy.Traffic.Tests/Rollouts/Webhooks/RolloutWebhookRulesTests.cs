using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Rollouts.Webhooks;

namespace Proxy.Traffic.Tests.Rollouts.Webhooks;

public class RolloutWebhookRulesTests
{
    private static readonly RolloutAnalysisRequest Analysis = new(Interval: TimeSpan.FromSeconds(10), MaxErrorRate: 0.05);

    private static string[] Errors(params RolloutWebhookRequest[] webhooks) => Errors(
        new StartRolloutRequest("canary", Steps: [new(10, TimeSpan.FromMinutes(1)), new(50, null)], Analysis: Analysis, Webhooks: webhooks));

    private static string[] Errors(StartRolloutRequest request) =>
        [.. new RolloutPlanValidator().Validate(request).Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}")];

    [Fact]
    public void A_plan_with_one_hook_of_each_type_and_a_manual_gate_is_valid_and_read_with_its_defaults()
    {
        RolloutWebhookRequest[] hooks =
        [
            new("cab", "confirm-rollout"),
            new("smoke", "pre-rollout", "https://tests.example/smoke", TimeSpan.FromMinutes(2), new() { ["suite"] = "smoke" }),
            new("load", "rollout", "http://127.0.0.1:9000/load"),
            new("budget", "confirm-traffic-increase", "http://127.0.0.1:9000/budget"),
            new("release", "Confirm-Promotion"),
            new("notify", "post-rollout", "http://127.0.0.1:9000/notify"),
            new("kill", "rollback", "http://127.0.0.1:9000/kill"),
        ];
        var request = new StartRolloutRequest("canary", Steps: [new(10, TimeSpan.FromMinutes(1)), new(50, null)], Analysis: Analysis, Webhooks: hooks);

        Assert.Empty(Errors(request));
        var plan = RolloutPlanReader.Read(request);
        Assert.Equal(Enum.GetValues<RolloutWebhookType>(), plan.Webhooks!.Select(h => h.Type));
        Assert.Equal((true, true, false), (plan.Webhooks![0].IsManual, plan.Webhooks[4].IsManual, plan.Webhooks[1].IsManual));
        Assert.Equal((RolloutWebhook.DefaultTimeout, TimeSpan.FromMinutes(2)), (plan.Webhooks[0].Timeout, plan.Webhooks[1].Timeout));
        Assert.Equal("smoke", plan.Webhooks[1].Metadata["suite"]);
    }

    [Fact]
    public void A_plan_without_webhooks_keeps_its_stored_form()
    {
        var plan = RolloutPlanReader.Read(new StartRolloutRequest("canary", Steps: [new(10, null)], Analysis: Analysis, Webhooks: []));

        Assert.Null(plan.Webhooks);
        Assert.DoesNotContain("webhooks", Proxy.Traffic.State.StateJson.Write(plan, Proxy.Traffic.State.StateJsonContext.Default.RolloutPlan), StringComparison.Ordinal);
    }

    [Fact]
    public void Each_bad_webhook_is_named_with_its_field_and_the_whole_list_is_checked()
    {
        var errors = Errors(
            new("a", "confirm-rollout", "ftp://x/hook"),
            new("a", "pre-rollout"),
            new("bad name", "sometimes", "http://127.0.0.1/x"),
            new("t", "rollout", "http://127.0.0.1/x", TimeSpan.FromMinutes(6)),
            new("u", "rollback", "http://user:pass@127.0.0.1/x"),
            new("m", "rollout", "http://127.0.0.1/x", null, Enumerable.Range(0, 21).ToDictionary(i => $"k{i}", i => "v")),
            new("v", "rollout", "http://127.0.0.1/x", null, new() { ["big"] = new string('x', 1025) }),
            new(null, "rollout", "relative/path"));

        Assert.Equal(
            [
                "webhooks[0].url", "webhooks[1].name", "webhooks[1].url", "webhooks[2].name", "webhooks[2].type", "webhooks[3].timeout",
                "webhooks[4].url", "webhooks[5].metadata", "webhooks[6].metadata.big", "webhooks[7].name", "webhooks[7].url",
            ],
            errors.Select(e => e[..e.IndexOf(':', StringComparison.Ordinal)]));
        Assert.Contains("webhooks[1].url: a url is required: only confirm-* hooks may be manual gates, and pre-rollout is not one", errors);
        Assert.DoesNotContain(errors, e => e.Contains("pass", StringComparison.Ordinal) && e.Contains("user", StringComparison.Ordinal));
    }

    [Fact]
    public void Too_many_webhooks_and_a_confirm_traffic_increase_that_would_never_be_asked_are_refused()
    {
        Assert.Equal(["webhooks: at most 20 webhooks"], Errors([.. Enumerable.Range(0, 21).Select(i => new RolloutWebhookRequest($"h{i}", "rollout", "http://127.0.0.1/x"))]));

        var oneStep = new StartRolloutRequest("canary", Steps: [new(100, null)], Analysis: Analysis, Webhooks: [new("more", "confirm-traffic-increase")]);
        Assert.Equal(["webhooks[0].type: confirm-traffic-increase would never be asked: no step of the plan raises the candidate's weight after the first"], Errors(oneStep));
        var preview = new StartRolloutRequest("canary", "blueGreen", Analysis: Analysis, PrePromotionWindow: TimeSpan.FromMinutes(1), Webhooks: [new("switch", "confirm-traffic-increase")]);
        Assert.Empty(Errors(preview));
    }

    [Theory]
    [InlineData("too-short-1234", false)]
    [InlineData("                    ", false)]
    [InlineData("a-secret-of-sufficient-length", true)]
    [InlineData(null, true)]
    public void The_webhook_secret_is_range_checked_at_start_up_without_repeating_it(string? secret, bool valid)
    {
        var result = new RolloutWebhookOptionsValidator().Validate(null, new RolloutWebhookOptions { WebhookSecret = secret });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.StartsWith("Rollouts:WebhookSecret: must have 16 to 1024 characters", result.FailureMessage, StringComparison.Ordinal);
            Assert.True(string.IsNullOrWhiteSpace(secret) || !result.FailureMessage!.Contains(secret, StringComparison.Ordinal), result.FailureMessage);
        }
    }
}
