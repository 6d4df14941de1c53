using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.Admin;
using Proxy.Traffic.Admin.Auth;

namespace Proxy.FunctionalTests.WebConsole;

/// <summary>The console's session over plain HTTP: the cookie, its request token, revocation and the login throttle.</summary>
public class ConsoleSessionTests
{
    private static Task<TestEnvironment> StartAsync(Action<JsonObject>? edit = null) =>
        TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 90, ["canary"] = 10 }), edit);

    private static async Task<(HttpClient Client, string Token)> LoginAsync(TestEnvironment env, string key)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = true }) { BaseAddress = env.AdminAddress };
        using var login = await client.PostAsJsonAsync("console/login", new { key });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("expires=", cookie, StringComparison.OrdinalIgnoreCase);
        return (client, (await login.ReadJsonAsync()).GetProperty("requestToken").GetString()!);
    }

    [Fact]
    public async Task A_change_with_the_session_cookie_needs_its_request_token_and_an_origin_of_the_console()
    {
        await using var env = await StartAsync();
        var (client, token) = await LoginAsync(env, TestEnvironment.OperatorKey);
        using var owned = client;

        using var noToken = await client.PostAsync("api/routes/shop/rollback", null);
        using var wrongToken = new HttpRequestMessage(HttpMethod.Post, "api/routes/shop/rollback") { Headers = { { "X-Proxy-Console-Token", "guess" } } };
        using var crossSite = new HttpRequestMessage(HttpMethod.Post, "api/routes/shop/rollback") { Headers = { { "X-Proxy-Console-Token", token }, { "Origin", "https://evil.example" } } };
        var refusals = new[] { noToken, await client.SendAsync(wrongToken), await client.SendAsync(crossSite) };
        var revisionAfterRefusals = env.Revision("shop");
        using var own = new HttpRequestMessage(HttpMethod.Post, "api/routes/shop/rollback") { Headers = { { "X-Proxy-Console-Token", token } } };
        using var done = await client.SendAsync(own);

        Assert.All(refusals, r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.Contains("cross-site", (await refusals[0].ReadJsonAsync()).GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, revisionAfterRefusals);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var history = await env.CreateAdminClient().GetHistoryAsync();
        Assert.Equal(("ops", "rollback"), (history[0].GetProperty("actor").GetString(), history[0].GetProperty("action").GetString()));
    }

    [Fact]
    public async Task A_key_removed_from_the_configuration_ends_its_sessions_at_their_next_request()
    {
        await using var env = await StartAsync();
        var (client, _) = await LoginAsync(env, TestEnvironment.ViewerKey);
        using var owned = client;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/routes")).StatusCode);

        await env.WriteConfigAsync(Splits.Route("blue", new() { ["blue"] = 90, ["canary"] = 10 }), config =>
            config["Admin"]!["ApiKeys"] = new JsonArray(new JsonObject { ["Name"] = "ops", ["Sha256"] = ApiKeyHasher.Hash(TestEnvironment.OperatorKey), ["Role"] = AdminRoles.Operator }));

        await Eventually.TrueAsync(async () => (await client.GetAsync("api/routes")).StatusCode == HttpStatusCode.Unauthorized, "the removed key's session still reads routes");
        Assert.Equal(HttpStatusCode.NoContent, (await client.GetAsync("console/session")).StatusCode);
    }

    [Fact]
    public async Task Failed_logins_from_one_address_are_refused_with_429_past_the_limit_even_with_the_right_key()
    {
        await using var env = await StartAsync(config => config["Admin"]!["Console"] = new JsonObject { ["MaxLoginFailures"] = 3, ["LoginFailureWindow"] = "00:10:00" });
        using var client = new HttpClient { BaseAddress = env.AdminAddress };

        var wrong = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            wrong.Add((await client.PostAsJsonAsync("console/login", new { key = $"guess-{i}" })).StatusCode);
        }

        using var throttled = await client.PostAsJsonAsync("console/login", new { key = TestEnvironment.OperatorKey });
        using var form = await client.PostAsync("console/login", new FormUrlEncodedContent([new("key", TestEnvironment.OperatorKey)]));

        Assert.All(wrong, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(9), $"Retry-After: {throttled.Headers.RetryAfter}");
        Assert.Equal(HttpStatusCode.TooManyRequests, form.StatusCode);
    }

    [Fact]
    public async Task The_console_is_served_on_the_admin_listener_only_with_a_strict_content_security_policy()
    {
        await using var env = await StartAsync();
        using var admin = new HttpClient { BaseAddress = env.AdminAddress };
        using var proxy = env.CreateClient();

        using var page = await admin.GetAsync("/");
        using var script = await admin.GetAsync("console/app.js");
        using var missing = await admin.GetAsync("console/nothing.js");
        var throughProxy = await proxy.GetVersionAsync("/");

        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("<script type=\"module\" src=\"/console/app.js\">", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains(throughProxy, new[] { "blue", "canary" }); // GET / on the proxy port is the upstream's, never the console
    }
}
