using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Proxy.FunctionalTests.Experiments;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.FunctionalTests.Mirroring.Diffs;
using Proxy.FunctionalTests.Rollouts;

namespace Proxy.FunctionalTests.WebConsole;

/// <summary>The console in Debian's chromium, headless, against a real gateway in front of real upstreams.</summary>
public sealed class ConsoleBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static Task<TestEnvironment> StartAsync() =>
        TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 90, ["canary"] = 10 }, servedByHeader: Rollouts.Rollouts.ServedBy));

    [BrowserFact]
    public async Task Login_shows_the_routes_keeps_only_an_HttpOnly_strict_cookie_and_logout_ends_the_session()
    {
        await using var env = await StartAsync();
        await using var console = await ConsolePage.OpenAsync(browser.Browser, env.AdminAddress);

        await console.LoginAsync(TestEnvironment.OperatorKey);
        await console.Page.Locator("article[data-route=shop]").WaitForAsync();
        var cookie = Assert.Single(await console.Context.CookiesAsync());
        var stored = await console.Page.EvaluateAsync<string>("() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie");
        await console.Page.Locator("#logout").ClickAsync();
        await console.Page.Locator("#key").WaitForAsync();

        Assert.Equal(("proxy-console", true, SameSiteAttribute.Strict), (cookie.Name, cookie.HttpOnly, cookie.SameSite));
        Assert.True(cookie.Expires > DateTimeOffset.UtcNow.ToUnixTimeSeconds(), "the session cookie has no expiry");
        Assert.DoesNotContain(TestEnvironment.OperatorKey, stored, StringComparison.Ordinal);
        Assert.Equal("{}{}", stored); // nothing in storage, and the cookie is out of the scripts' reach
        using var replayed = new HttpClient { BaseAddress = env.AdminAddress };
        replayed.DefaultRequestHeaders.Add("Cookie", $"{cookie.Name}={cookie.Value}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await replayed.GetAsync("api/routes")).StatusCode);
        await console.AssertNoErrorsAsync();
    }

    [BrowserFact]
    public async Task A_wrong_key_is_refused_in_words_and_nothing_is_shown()
    {
        await using var env = await StartAsync();
        await using var console = await ConsolePage.OpenAsync(browser.Browser, env.AdminAddress);
        console.Allow("401"); // the refused login's own answer

        await console.Page.Locator("#key").FillAsync("not-a-key");
        await console.Page.Locator("#key").PressAsync("Enter");
        await console.Page.Locator("#login-error", new PageLocatorOptions { HasTextString = "The key is not valid" }).WaitForAsync();

        Assert.Equal(0, await console.Page.Locator("article[data-route]").CountAsync());
        Assert.Empty(await console.Context.CookiesAsync());
        await console.AssertNoErrorsAsync();
    }

    [BrowserFact]
    public async Task The_overview_shows_what_GET_api_routes_says()
    {
        await using var env = await StartAsync();
        using var admin = env.CreateAdminClient();
        (await admin.PostAsync("api/clusters/canary/isolate", new { reason = "bad build" })).EnsureSuccessStatusCode();
        await using var console = await ConsolePage.OpenAsync(browser.Browser, env.AdminAddress);

        await console.LoginAsync(TestEnvironment.ViewerKey);
        var card = console.Page.Locator("article[data-route=shop]");
        await card.Locator("[data-breaker=Isolated]").WaitForAsync();
        var (route, _) = await admin.GetRouteAsync();
        await console.ScreenshotAsync("console-overview.png");

        Assert.Equal($"revision {route.GetProperty("revision").GetInt64()}", await card.Locator("[data-field=revision]").InnerTextAsync());
        foreach (var cluster in route.GetProperty("weights").EnumerateObject())
        {
            var row = card.Locator($"li[data-cluster={cluster.Name}]");
            Assert.Equal(cluster.Value.GetDecimal().ToString(System.Globalization.CultureInfo.InvariantCulture), await row.GetAttributeAsync("data-configured"));
            Assert.Equal(route.GetProperty("effectiveWeights").GetProperty(cluster.Name).GetDecimal().ToString(System.Globalization.CultureInfo.InvariantCulture), await row.GetAttributeAsync("data-effective"));
            var breaker = route.GetProperty("clusters").EnumerateArray().Single(c => c.GetProperty("cluster").GetString() == cluster.Name).GetProperty("breaker").GetString();
            Assert.Equal(breaker, await row.Locator("[data-breaker]").GetAttributeAsync("data-breaker"));
        }

        await console.AssertNoErrorsAsync();
    }

    [BrowserFact]
    public async Task Shifting_weights_in_the_console_changes_what_the_proxy_serves_and_the_audit_trail_names_it()
    {
        await using var env = await StartAsync();
        using var proxy = env.CreateClient(cookies: false);
        await using var console = await ConsolePage.OpenAsync(browser.Browser, env.AdminAddress);
        await console.LoginAsync(TestEnvironment.OperatorKey);
        await console.Page.GotoAsync("/#/routes/shop");

        await console.Page.Locator("#weight-blue").FillAsync("0");
        await console.Page.Locator("#weight-canary").FillAsync("100");
        await console.Page.Locator("#reason").FillAsync("all in on canary");
        var confirmation = await console.ActAsync("#apply-weights");

        Assert.Equal("Set shop to blue=0, canary=100 (all in on canary)", confirmation);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("canary", await proxy.GetVersionAsync());
        }

        await console.Page.Locator("#history td", new PageLocatorOptions { HasTextString = "all in on canary" }).WaitForAsync();
        using var admin = env.CreateAdminClient();
        var latest = (await admin.GetHistoryAsync())[0];
        Assert.Equal(("ops", "set-weights"), (latest.GetProperty("actor").GetString(), latest.GetProperty("action").GetString()));
        await console.AssertNoErrorsAsync();
    }

    [BrowserFact]
    public async Task The_rollback_button_puts_the_very_next_request_on_stable()
    {
        await using var env = await StartAsync();
        using var admin = env.CreateAdminClient();
        (await admin.PutWeightsAsync(new { blue = 0, canary = 100 })).EnsureSuccessStatusCode();
        using var proxy = env.CreateClient(cookies: false);
        await using var console = await ConsolePage.OpenAsync(browser.Browser, env.AdminAddress);
        await console.LoginAsync(TestEnvironment.OperatorKey);
        await console.Page.GotoAsync("/#/routes/shop");
        Assert.Equal("canary", await proxy.GetVersionAsync());

        var confirmation = await console.ActAsync("#rollback");

        Assert.Equal("Roll back shop: all new traffic to blue", confirmation);
        Assert.Equal("blue", await proxy.GetVersionAsync());
        await console.AssertNoErrorsAsync();
    }

    [BrowserFact]
    public async Task A_rollouts_step_and_verdict_appear_on_screen_without_a_reload()
    {
        await using var env = await StartAsync();
        using var admin = env.CreateAdminClient();
        (await admin.PutWeightsAsync(new { blue = 100, canary = 0 })).EnsureSuccessStatusCode();
        await using var load = new SteadyLoad(env.CreateClient(cookies: false), Rollouts.Rollouts.ServedBy, parallelism: 2);
        await using var console = await ConsolePage.OpenAsync(browser.Browser, env.AdminAddress);
        await console.LoginAsync(TestEnvironment.OperatorKey);
        await console.Page.GotoAsync("/#/routes/shop");
        await console.Page.Locator("#rollout", new PageLocatorOptions { HasTextString = "No rollout" }).WaitForAsync();
        await console.Page.EvaluateAsync("() => { window.notReloaded = true; }");

        await admin.StartRolloutAsync(new
        {
            candidate = "canary",
            steps = new object[] { new { weight = 25, pause = "00:10:00" }, new { weight = 100 } },
            analysis = new { interval = "00:00:01", minRequests = 5, maxErrorRate = 0.5, maxP99LatencyMs = 10000, inconclusiveTimeout = "00:10:00" },
        });
        await console.Page.Locator("#rollout-phase", new PageLocatorOptions { HasTextString = "Progressing" }).WaitForAsync();
        await console.Page.Locator("#rollout-verdict.pass").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        await console.ScreenshotAsync("console-route-rollout.png");

        Assert.Equal("step 1/2", await console.Page.Locator("#rollout-step").InnerTextAsync());
        Assert.Matches(@"canary: \d+ requests", await console.Page.Locator("#rollout-verdict").InnerTextAsync());
        Assert.Contains("Next:", await console.Page.Locator("#rollout-next").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await console.Page.EvaluateAsync<bool>("() => window.notReloaded === true"), "the page was reloaded");
        await console.AssertNoErrorsAsync();
    }

    [BrowserFact]
    public async Task The_route_page_shows_which_field_of_the_mirrors_answers_differs_with_an_example()
    {
        await using var blue = await ScriptedUpstream.StartAsync((context, _) => MirrorDiffTests.Json(context, """{"name":"lamp","price":9.99}"""));
        await using var green = await ScriptedUpstream.StartAsync((context, _) => MirrorDiffTests.Json(context, """{"price":10.99,"name":"lamp"}"""));
        await using var env = await MirrorDiffTests.StartAsync(blue, green, new { Cluster = "green", Percentage = 100 });
        using var client = env.CreateClient();
        for (var i = 1; i <= 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/price/{i}")).StatusCode);
        }

        await MirrorDiffTests.DiffsAsync(env, compared: 5);
        await using var console = await ConsolePage.OpenAsync(browser.Browser, env.AdminAddress);
        await console.LoginAsync(TestEnvironment.ViewerKey);
        await console.Page.GotoAsync("/#/routes/shop");

        var row = console.Page.Locator("#mirror-diffs tbody tr", new PageLocatorOptions { HasTextString = "GET /price/{id}" });
        await row.WaitForAsync();
        var text = await row.InnerTextAsync();
        Assert.Contains("$.price ×5 (9.99 → 10.99)", text, StringComparison.Ordinal);
        Assert.Contains("100.0%", text, StringComparison.Ordinal);
        Assert.DoesNotContain("$.name", text, StringComparison.Ordinal); // same value in another key order
        await console.AssertNoErrorsAsync();
    }

    [BrowserFact]
    public async Task A_flag_killed_from_the_route_page_is_off_for_the_very_next_request()
    {
        var flag = new
        {
            Variants = new Dictionary<string, string> { ["off"] = "false", ["on"] = "true" },
            Default = "off",
            Routes = new[] { "shop" },
            Key = "header:X-User-Id",
            Rollout = new Dictionary<string, decimal> { ["on"] = 100 },
        };
        await using var env = await TestEnvironment.StartAsync(
            ["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 100, ["canary"] = 0 }),
            config => config["TrafficSplit"]!["Flags"] = new JsonObject { ["new-checkout"] = JsonSerializer.SerializeToNode(flag) });
        var upstream = env.Upstream("blue");
        upstream.RecordRequests = true;
        using var proxy = env.CreateClient(cookies: false);
        await using var console = await ConsolePage.OpenAsync(browser.Browser, env.AdminAddress);
        await console.LoginAsync(TestEnvironment.OperatorKey);
        await console.Page.GotoAsync("/#/routes/shop");
        var item = console.Page.Locator("#flags li[data-flag=new-checkout]");
        await item.WaitForAsync();
        Assert.Contains("on · default off", await item.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("new-checkout=on", await FlagsSeenAsync());

        var confirmation = await console.ActAsync("#flags li[data-flag=new-checkout] button");

        Assert.Equal("Kill flag new-checkout: every request gets its default", confirmation);
        Assert.Equal("new-checkout=off", await FlagsSeenAsync());
        await console.Page.Locator("#flags li[data-flag=new-checkout]", new PageLocatorOptions { HasTextString = "killed" }).WaitForAsync();
        await console.AssertNoErrorsAsync();

        async Task<string?> FlagsSeenAsync()
        {
            var path = $"/seen/{Guid.NewGuid():N}";
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("X-User-Id", "user-1");
            (await proxy.SendAsync(request)).EnsureSuccessStatusCode();
            return upstream.Stats.RecentRequests.Single(r => r.PathAndQuery == path).Headers.GetValueOrDefault("X-Proxy-Flags");
        }
    }

    [BrowserFact]
    public async Task The_winner_promoted_from_the_route_page_takes_all_traffic_as_one_audited_revision()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "green"], Experiments.Experiments.Split());
        // Orders fail on blue's upstream four times in five, on green's one time in five (as in ExperimentTests).
        env.Upstream("blue").Faults.ErrorRate = 0.8;
        env.Upstream("green").Faults.ErrorRate = 0.2;
        using var proxy = env.CreateClient(cookies: false);
        for (var i = 0; i < 600; i++)
        {
            await Experiments.Experiments.VisitAsync(proxy, $"user-{i}", orders: true);
        }

        env.Upstream("blue").Faults.Clear();
        env.Upstream("green").Faults.Clear();
        using var admin = env.CreateAdminClient();
        var before = await admin.ReportAsync();
        Assert.True(before.Verdict() == "winner", before.ToString());
        await using var console = await ConsolePage.OpenAsync(browser.Browser, env.AdminAddress);
        await console.LoginAsync(TestEnvironment.OperatorKey);
        await console.Page.GotoAsync("/#/routes/shop");
        var experiment = console.Page.Locator($"#experiments div[data-experiment={Experiments.Experiments.Name}]");
        await experiment.Locator("p.outcome", new LocatorLocatorOptions { HasTextString = "green wins" }).WaitForAsync();
        await console.Page.Locator("#reason").FillAsync("ship green");

        var confirmation = await console.ActAsync($"#experiments div[data-experiment={Experiments.Experiments.Name}] button:has-text('Promote green')");

        Assert.Equal($"Stop {Experiments.Experiments.Name} and promote green", confirmation);
        var report = await admin.ReportAsync();
        Assert.Equal(("promoted", "green", "ops"), (report.GetProperty("state").GetString(), report.GetProperty("stop").GetProperty("arm").GetString(), report.GetProperty("stop").GetProperty("actor").GetString()));
        var (route, _) = await admin.GetRouteAsync();
        Assert.Equal(("green", 100m), (route.GetProperty("stable").GetString(), route.GetProperty("weights").GetProperty("green").GetDecimal()));
        var latest = (await admin.GetHistoryAsync())[0];
        Assert.Equal(("ops", "experiment-promote"), (latest.GetProperty("actor").GetString(), latest.GetProperty("action").GetString()));
        Assert.EndsWith("— ship green", latest.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("green", await proxy.GetVersionAsync());
        await experiment.Locator("h3", new LocatorLocatorOptions { HasTextString = "promoted" }).WaitForAsync();
        Assert.Equal(0, await experiment.Locator("button").CountAsync());
        await console.AssertNoErrorsAsync();
    }

    [BrowserFact]
    public async Task An_experiment_stopped_from_the_route_page_stops_counting_and_leaves_the_split_alone()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "green"], Experiments.Experiments.Split());
        using var proxy = env.CreateClient(cookies: false);
        await Experiments.Experiments.VisitAsync(proxy, "user-1", orders: true);
        await using var console = await ConsolePage.OpenAsync(browser.Browser, env.AdminAddress);
        await console.LoginAsync(TestEnvironment.OperatorKey);
        await console.Page.GotoAsync("/#/routes/shop");

        var confirmation = await console.ActAsync($"#experiments div[data-experiment={Experiments.Experiments.Name}] button:has-text('Stop')");

        Assert.Equal($"Stop experiment {Experiments.Experiments.Name}", confirmation);
        using var admin = env.CreateAdminClient();
        var stopped = await admin.ReportAsync();
        Assert.Equal(("stopped", "ops"), (stopped.GetProperty("state").GetString(), stopped.GetProperty("stop").GetProperty("actor").GetString()));
        await Experiments.Experiments.VisitAsync(proxy, "user-2", orders: true);
        Assert.Equal(1, (await admin.ReportAsync()).GetProperty("arms").EnumerateArray().Sum(a => a.GetProperty("exposed").GetInt64()));
        Assert.Equal(1, env.Revision("shop"));
        await console.Page.Locator($"#experiments div[data-experiment={Experiments.Experiments.Name}] h3", new PageLocatorOptions { HasTextString = "stopped" }).WaitForAsync();
        await console.AssertNoErrorsAsync();
    }

    [BrowserFact]
    public async Task The_route_page_reloads_its_experiments_on_its_own_routes_traffic_not_on_another_routes()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], new
        {
            Routes = new Dictionary<string, object>
            {
                ["shop"] = new { Stable = "blue", Weights = new Dictionary<string, decimal> { ["blue"] = 100 } },
                ["other"] = new { Stable = "canary", Weights = new Dictionary<string, decimal> { ["canary"] = 100 } },
            },
        }, config =>
        {
            config["ReverseProxy"]!["Routes"]!["other"] = new JsonObject { ["ClusterId"] = "canary", ["Match"] = new JsonObject { ["Path"] = "/other/{**rest}" } };
            config["Admin"]!["Events"] = new JsonObject { ["SampleInterval"] = "00:00:01" };
        });
        using var proxy = env.CreateClient(cookies: false);
        await using var events = await EventStreamReader.OpenAsync(env.AdminAddress, TestEnvironment.ViewerKey, "?kinds=traffic&route=other");
        await using var console = await ConsolePage.OpenAsync(browser.Browser, env.AdminAddress);
        var fetches = 0;
        console.Page.Request += (_, request) =>
        {
            if (request.Url.Contains("/api/routes/shop/experiments", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref fetches);
            }
        };
        await console.LoginAsync(TestEnvironment.OperatorKey);
        await console.Page.GotoAsync("/#/routes/shop");
        await console.Page.Locator("#experiments p.muted").WaitForAsync();
        var loaded = Volatile.Read(ref fetches);

        // Route "other" gets busy, then goes quiet: two traffic events the page receives too.
        for (var i = 0; i < 5; i++)
        {
            await proxy.GetVersionAsync($"/other/{i}");
        }

        await events.NextOfKindAsync("traffic", d => d.GetProperty("clusters").EnumerateArray().Any(c => c.GetProperty("requests").GetInt64() > 0));
        await events.NextOfKindAsync("traffic", d => d.GetProperty("clusters").EnumerateArray().All(c => c.GetProperty("requests").GetInt64() == 0));
        // An absence is asserted after a wait: a reload for those events would come one debounce (1 s) after the last.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Equal(loaded, Volatile.Read(ref fetches));

        // Its own route's traffic still reloads the panel.
        await proxy.GetVersionAsync("/");
        await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref fetches) > loaded), "the route's own traffic did not reload its experiments");
        await console.AssertNoErrorsAsync();
    }

    [BrowserFact]
    public async Task A_viewer_has_no_action_buttons_and_writes_forged_from_the_page_are_refused()
    {
        await using var env = await StartAsync();
        await using var viewer = await ConsolePage.OpenAsync(browser.Browser, env.AdminAddress);
        await viewer.LoginAsync(TestEnvironment.ViewerKey);
        await viewer.Page.GotoAsync("/#/routes/shop");
        await viewer.Page.Locator("#history tbody tr").First.WaitForAsync();
        await using var operatorPage = await ConsolePage.OpenAsync(browser.Browser, env.AdminAddress);
        await operatorPage.LoginAsync(TestEnvironment.OperatorKey);
        viewer.Allow("403");
        operatorPage.Allow("403");
        const string Forge = "() => fetch('/api/routes/shop/rollback', { method: 'POST' }).then(r => r.status)";

        Assert.Equal(0, await viewer.Page.Locator("button.action, #weights-form, #reason").CountAsync());
        Assert.Equal(403, await viewer.Page.EvaluateAsync<int>(Forge));            // the role
        Assert.Equal(403, await operatorPage.Page.EvaluateAsync<int>(Forge));      // no request token: not the console's own call
        Assert.Equal(1, env.Revision("shop"));
        await viewer.AssertNoErrorsAsync();
        await operatorPage.AssertNoErrorsAsync();
    }

    [BrowserFact]
    public async Task On_a_phone_in_the_dark_by_keyboard_alone_the_console_logs_in_and_opens_a_route()
    {
        await using var env = await StartAsync();
        await using var console = await ConsolePage.OpenAsync(browser.Browser, env.AdminAddress, new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
            ColorScheme = ColorScheme.Dark,
        });

        // The login form is drawn once the page has asked for its session; it must then hold the focus by itself.
        await console.Page.Locator("#key:focus").WaitForAsync();
        await console.Page.Keyboard.TypeAsync(TestEnvironment.OperatorKey);
        await console.Page.Keyboard.PressAsync("Enter");
        var link = console.Page.Locator("article[data-route=shop] h2 a");
        await link.WaitForAsync();
        await link.FocusAsync();
        await console.Page.Keyboard.PressAsync("Enter");
        await console.Page.Locator("#rollback").WaitForAsync();

        var overflow = await console.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        var background = await console.Page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        Assert.True(overflow <= 0, $"the page is {overflow}px wider than the phone");
        Assert.Equal("rgb(15, 17, 21)", background);
        await console.AssertNoErrorsAsync();
    }
}
