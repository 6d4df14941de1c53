using Microsoft.Playwright;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.FunctionalTests.Rollouts;
using Proxy.FunctionalTests.Rollouts.Webhooks;

namespace Proxy.FunctionalTests.WebConsole;

/// <summary>A rollout's manual gate on the console's route page: shown to everyone, approved by an Operator.</summary>
public sealed class ConsoleGateTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task An_operator_approves_a_waiting_manual_gate_from_the_route_page_after_a_confirmation_naming_it()
    {
        await using var env = await HookedRollouts.StartAsync();
        using var admin = env.CreateAdminClient();
        await admin.StartRolloutAsync(HookedRollouts.Plan(
            [new { weight = 20, pause = "00:10:00" }, new { weight = 100 }],
            HookedRollouts.Hook("release-board", "confirm-rollout", null)));
        await using var console = await ConsolePage.OpenAsync(browser.Browser, env.AdminAddress);
        await console.LoginAsync(TestEnvironment.OperatorKey);
        await console.Page.GotoAsync("/#/routes/shop");
        await console.Page.Locator("#rollout-phase", new PageLocatorOptions { HasTextString = "Waiting" }).WaitForAsync();

        Assert.StartsWith("Waiting at the manual confirm-rollout gate 'release-board' before the first step", await console.Page.Locator("#rollout-gate").InnerTextAsync(), StringComparison.Ordinal);
        await console.ScreenshotAsync("console-route-gate.png");
        await console.Page.Locator("#reason").FillAsync("board met at 10:00");
        var confirmation = await console.ActAsync("#rollout-approve");

        Assert.Equal("Approve the manual confirm-rollout gate 'release-board' of rollout #1: the first step goes ahead", confirmation);
        await console.Page.Locator("#rollout-phase", new PageLocatorOptions { HasTextString = "Progressing" }).WaitForAsync();
        Assert.Equal(0, await console.Page.Locator("#rollout-approve").CountAsync());
        var rollout = await admin.GetRolloutAsync();
        Assert.Contains("manual confirm-rollout gate 'release-board' before the first step approved by ops: board met at 10:00", rollout.Events());
        Assert.Equal("blue=80, canary=20", (await admin.GetRouteAsync()).Route.Weights());
        await console.AssertNoErrorsAsync();
    }

    [BrowserFact]
    public async Task A_viewer_sees_the_waiting_gate_but_no_approve_button()
    {
        await using var env = await HookedRollouts.StartAsync();
        using var admin = env.CreateAdminClient();
        await admin.StartRolloutAsync(HookedRollouts.Plan([new { weight = 20 }], HookedRollouts.Hook("release-board", "confirm-rollout", null)));
        await using var console = await ConsolePage.OpenAsync(browser.Browser, env.AdminAddress);
        await console.LoginAsync(TestEnvironment.ViewerKey);
        await console.Page.GotoAsync("/#/routes/shop");

        await console.Page.Locator("#rollout-gate").WaitForAsync();
        Assert.Equal(0, await console.Page.Locator("#rollout-approve").CountAsync());
        await console.AssertNoErrorsAsync();
    }
}
