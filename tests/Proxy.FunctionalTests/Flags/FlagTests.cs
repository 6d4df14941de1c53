using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Proxy.DemoBackend;
using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Flags;

public class FlagTests
{
    private const string Flag = "new-checkout";

    private static object Section(decimal onPercent) => new
    {
        Flags = new Dictionary<string, object>
        {
            [Flag] = new
            {
                Variants = new Dictionary<string, string> { ["off"] = "false", ["on"] = "true" },
                Default = "off",
                Routes = new[] { "shop" },
                Key = "header:X-User-Id",
                Rules = new object[] { new { Header = "X-Beta", Values = new[] { "1" }, Variant = "on" } },
                Rollout = new Dictionary<string, decimal> { ["on"] = onPercent },
            },
            ["search"] = new
            {
                Variants = new Dictionary<string, string> { ["v1"] = "v1", ["v2"] = "v2" },
                Default = "v2",
                Routes = new[] { "*" },
            },
        },
    };

    /// <summary>Sends one request as the user and returns the X-Proxy-Flags the upstream received.</summary>
    private static async Task<string?> FlagsSeenAsync(HttpClient client, DemoUpstreamServer upstream, string user, Action<HttpRequestMessage>? configure = null)
    {
        var path = $"/seen/{Guid.NewGuid():N}";
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-User-Id", user);
        configure?.Invoke(request);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return upstream.Stats.RecentRequests.Single(r => r.PathAndQuery == path).Headers.GetValueOrDefault("X-Proxy-Flags");
    }

    private static bool IsOn(string? header) => header is not null && header.Split(", ").Contains($"{Flag}=on");

    [Fact]
    public async Task Rollout_reaches_its_share_by_key_and_keeps_each_user_as_it_rises()
    {
        await using var env = await TestEnvironment.StartAsync(["blue"], Section(20));
        var upstream = env.Upstream("blue");
        upstream.RecordRequests = true;
        using var client = env.CreateClient(cookies: false);
        using var admin = env.CreateAdminClient();
        var users = Enumerable.Range(0, 1_000).Select(i => $"user-{i}").ToArray();

        var at20 = new Dictionary<string, string?>();
        foreach (var user in users)
        {
            at20[user] = await FlagsSeenAsync(client, upstream, user);
        }

        using var raise = await admin.PutAsJsonAsync($"api/flags/{Flag}", new { rollout = new Dictionary<string, decimal> { ["on"] = 50 }, reason = "going well" });
        Assert.Equal(HttpStatusCode.OK, raise.StatusCode);
        var at50 = new Dictionary<string, string?>();
        foreach (var user in users)
        {
            at50[user] = await FlagsSeenAsync(client, upstream, user);
        }

        Assert.All(at20.Values, h => Assert.Matches($"^{Flag}=(on|off), search=v2$", h!));
        Assert.InRange(at20.Values.Count(IsOn), 165, 235);
        Assert.All(users.Where(u => IsOn(at20[u])), u => Assert.True(IsOn(at50[u]), $"{u} lost the flag when the rollout rose"));
        Assert.InRange(at50.Values.Count(IsOn), 450, 550);
        var history = await (await admin.GetAsync($"api/flags/{Flag}/history")).ReadJsonAsync();
        Assert.Equal(("set-flag", "ops", "going well"), (history[0].GetProperty("action").GetString(), history[0].GetProperty("actor").GetString(), history[0].GetProperty("reason").GetString()));
        Assert.Equal(20m, history[0].GetProperty("before").GetProperty("rollout").GetProperty("on").GetDecimal());
    }

    [Fact]
    public async Task Header_rule_targets_a_user_the_rollout_left_out_and_a_client_cannot_forge_the_header()
    {
        await using var env = await TestEnvironment.StartAsync(["blue"], Section(0));
        var upstream = env.Upstream("blue");
        upstream.RecordRequests = true;
        using var client = env.CreateClient(cookies: false);

        var plain = await FlagsSeenAsync(client, upstream, "user-1");
        var beta = await FlagsSeenAsync(client, upstream, "user-1", r => r.Headers.Add("X-Beta", "1"));
        var forged = await FlagsSeenAsync(client, upstream, "user-1", r => r.Headers.Add("X-Proxy-Flags", $"{Flag}=on"));

        Assert.Equal($"{Flag}=off, search=v2", plain);
        Assert.Equal($"{Flag}=on, search=v2", beta);
        Assert.Equal($"{Flag}=off, search=v2", forged);
    }

    [Fact]
    public async Task Kill_switch_takes_effect_on_the_next_request()
    {
        await using var env = await TestEnvironment.StartAsync(["blue"], Section(100));
        var upstream = env.Upstream("blue");
        upstream.RecordRequests = true;
        using var client = env.CreateClient(cookies: false);
        using var admin = env.CreateAdminClient();
        var before = await FlagsSeenAsync(client, upstream, "user-1", r => r.Headers.Add("X-Beta", "1"));

        using var kill = await admin.PostAsync($"api/flags/{Flag}/kill", new { reason = "checkout errors" });
        var killed = await FlagsSeenAsync(client, upstream, "user-1", r => r.Headers.Add("X-Beta", "1"));
        using var enable = await admin.PostAsync($"api/flags/{Flag}/enable", null);
        var enabled = await FlagsSeenAsync(client, upstream, "user-1");

        Assert.True(IsOn(before));
        Assert.Equal(HttpStatusCode.OK, kill.StatusCode);
        Assert.False((await kill.ReadJsonAsync()).GetProperty("enabled").GetBoolean());
        Assert.Equal($"{Flag}=off, search=v2", killed);
        Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        Assert.True(IsOn(enabled));
    }

    [Fact]
    public async Task Ofrep_evaluation_agrees_with_the_header_the_upstream_saw()
    {
        await using var env = await TestEnvironment.StartAsync(["blue"], Section(30));
        var upstream = env.Upstream("blue");
        upstream.RecordRequests = true;
        using var client = env.CreateClient(cookies: false);
        using var viewer = env.CreateAdminClient(TestEnvironment.ViewerKey);

        var disagreements = new List<string>();
        var reasons = new HashSet<string>();
        for (var i = 0; i < 100; i++)
        {
            var user = $"user-{i}";
            var seen = IsOn(await FlagsSeenAsync(client, upstream, user)) ? "on" : "off";
            using var answer = await viewer.PostAsJsonAsync($"ofrep/v1/evaluate/flags/{Flag}", new { context = new { targetingKey = user } });
            var evaluation = await answer.ReadJsonAsync();
            reasons.Add(evaluation.GetProperty("reason").GetString()!);
            if (evaluation.GetProperty("variant").GetString() != seen || evaluation.GetProperty("value").GetBoolean() != (seen == "on"))
            {
                disagreements.Add(user);
            }
        }

        using var targeted = await viewer.PostAsJsonAsync($"ofrep/v1/evaluate/flags/{Flag}", new { context = new { targetingKey = "user-x", headers = new Dictionary<string, string> { ["x-beta"] = "1" } } });
        using var missing = await viewer.PostAsJsonAsync("ofrep/v1/evaluate/flags/nope", new { context = new { targetingKey = "u" } });
        using var noKey = await viewer.PostAsJsonAsync($"ofrep/v1/evaluate/flags/{Flag}", new { context = new { } });
        using var bulk = await viewer.PostAsJsonAsync("ofrep/v1/evaluate/flags", new { context = new { targetingKey = "user-7" } });
        using var cached = new HttpRequestMessage(HttpMethod.Post, "ofrep/v1/evaluate/flags") { Content = JsonContent.Create(new { context = new { targetingKey = "user-7" } }) };
        cached.Headers.TryAddWithoutValidation("If-None-Match", bulk.Headers.ETag!.Tag);
        using var notModified = await viewer.SendAsync(cached);

        Assert.Empty(disagreements);
        Assert.Equal(["SPLIT"], reasons);
        Assert.Equal(("on", "TARGETING_MATCH"), Variant(await targeted.ReadJsonAsync()));
        Assert.Equal((HttpStatusCode.NotFound, "FLAG_NOT_FOUND"), (missing.StatusCode, (await missing.ReadJsonAsync()).GetProperty("errorCode").GetString()));
        Assert.Equal((HttpStatusCode.BadRequest, "TARGETING_KEY_MISSING"), (noKey.StatusCode, (await noKey.ReadJsonAsync()).GetProperty("errorCode").GetString()));
        var flags = (await bulk.ReadJsonAsync()).GetProperty("flags").EnumerateArray().ToDictionary(f => f.GetProperty("key").GetString()!);
        Assert.Equal(IsOn(await FlagsSeenAsync(client, upstream, "user-7")) ? "on" : "off", flags[Flag].GetProperty("variant").GetString());
        Assert.Equal(("v2", "STATIC"), Variant(flags["search"]));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task Invalid_runtime_settings_are_refused_naming_the_field_and_change_nothing()
    {
        await using var env = await TestEnvironment.StartAsync(["blue"], Section(20));
        using var admin = env.CreateAdminClient();
        using var viewer = env.CreateAdminClient(TestEnvironment.ViewerKey);

        using var tooMuch = await admin.PutAsJsonAsync($"api/flags/{Flag}", new { rollout = new Dictionary<string, decimal> { ["on"] = 101 } });
        using var unknownVariant = await admin.PutAsJsonAsync($"api/flags/{Flag}", new { @default = "maybe" });
        using var defaultShare = await admin.PutAsJsonAsync($"api/flags/{Flag}", new { rollout = new Dictionary<string, decimal> { ["off"] = 10 } });
        using var unknownFlag = await admin.PostAsync("api/flags/nope/kill", null);
        using var asViewer = await viewer.PostAsync($"api/flags/{Flag}/kill", null);
        var flag = await (await admin.GetAsync($"api/flags/{Flag}")).ReadJsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, tooMuch.StatusCode);
        Assert.True((await tooMuch.ReadJsonAsync()).GetProperty("errors").TryGetProperty("rollout.on", out _));
        Assert.True((await unknownVariant.ReadJsonAsync()).GetProperty("errors").TryGetProperty("default", out _));
        Assert.True((await defaultShare.ReadJsonAsync()).GetProperty("errors").TryGetProperty("rollout.off", out _));
        Assert.Equal(HttpStatusCode.NotFound, unknownFlag.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asViewer.StatusCode);
        Assert.Equal((true, "config", 20m), (flag.GetProperty("enabled").GetBoolean(), flag.GetProperty("source").GetString(), flag.GetProperty("rollout").GetProperty("on").GetDecimal()));
    }

    private static (string?, string?) Variant(JsonElement evaluation) =>
        (evaluation.GetProperty("variant").GetString(), evaluation.GetProperty("reason").GetString());
}
