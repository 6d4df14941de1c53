using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.FunctionalTests.Mirroring.Diffs;
using Proxy.FunctionalTests.Rollouts;

namespace Proxy.FunctionalTests.WebConsole;

/// <summary>A verdict's Prometheus checks on the console's route page, in Debian's chromium.</summary>
public sealed class ConsoleMetricCheckTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task A_verdict_shows_each_prometheus_check_s_value_and_limits()
    {
        await using var prometheus = await ScriptedUpstream.StartAsync((context, _) =>
            context.Response.WriteAsync("""{"status":"success","data":{"resultType":"scalar","result":[1700000000,"0.004"]}}"""));
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 100, ["canary"] = 0 }, servedByHeader: Rollouts.Rollouts.ServedBy));
        using var admin = env.CreateAdminClient();
        await using var load = new SteadyLoad(env.CreateClient(cookies: false), Rollouts.Rollouts.ServedBy, parallelism: 2);
        await using var console = await ConsolePage.OpenAsync(browser.Browser, env.AdminAddress);
        await console.LoginAsync(TestEnvironment.OperatorKey);
        await console.Page.GotoAsync("/#/routes/shop");

        await admin.StartRolloutAsync(new
        {
            candidate = "canary",
            steps = new object[] { new { weight = 25, pause = "00:10:00" }, new { weight = 100 } },
            analysis = new
            {
                interval = "00:00:01",
                minRequests = 5,
                maxErrorRate = 0.5,
                inconclusiveTimeout = "00:10:00",
                metrics = new[] { new { name = "checkout-errors", prometheus = new { address = prometheus.Address.ToString(), query = "up" }, max = 0.01 } },
            },
        });
        await console.Page.Locator("#rollout-verdict.pass").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });

        Assert.Contains("checkout-errors = 0.004 (max 0.01)", await console.Page.Locator("#rollout-verdict").InnerTextAsync(), StringComparison.Ordinal);
        await console.AssertNoErrorsAsync();
    }
}
