using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Proxy.FunctionalTests.Cli;
using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Mirroring.Diffs;

/// <summary>Answer differences against real upstreams scripted to answer: what is reported, what is noise, what is not compared.</summary>
public class MirrorDiffTests
{
    [Fact]
    public async Task Json_in_another_key_order_is_no_difference_a_changed_price_is_reported_with_its_path_and_ids_in_paths_make_one_endpoint()
    {
        await using var blue = await ScriptedUpstream.StartAsync((context, _) =>
            Json(context, """{"id":1,"name":"lamp","price":9.99,"tags":["a","b"],"owner":{"token":"s3cret-blue"}}"""));
        await using var green = await ScriptedUpstream.StartAsync((context, _) => Json(context, context.Request.Path.StartsWithSegments("/price")
            ? """{"id":1,"name":"lamp","price":10.99,"tags":["a","b"],"owner":{"token":"s3cret-green"}}"""
            : """{"owner":{"token":"s3cret-blue"},"tags":["a","b"],"price":9.990,"name":"lamp","id":1}"""));
        await using var env = await StartAsync(blue, green, new { Cluster = "green", Percentage = 100 });
        using var client = env.CreateClient();

        for (var i = 1; i <= 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/same/{i}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/price/{1000 + i}")).StatusCode);
        }

        var diffs = await DiffsAsync(env, compared: 20);
        using var cli = new ProxyCtlRunner(env);
        var table = await cli.RunAsync("mirror", "diffs", "shop");

        var endpoints = diffs.GetProperty("endpoints").EnumerateArray().ToDictionary(e => e.GetProperty("endpoint").GetString()!);
        Assert.Equal(["GET /price/{id}", "GET /same/{id}"], endpoints.Keys.Order());
        Assert.Equal((10L, 0L), Counts(endpoints["GET /same/{id}"]));
        Assert.Equal((10L, 10L), Counts(endpoints["GET /price/{id}"]));
        var fields = endpoints["GET /price/{id}"].GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("field").GetString()!);
        Assert.Equal(["$.owner.token", "$.price"], fields.Keys.Order());
        var price = fields["$.price"];
        Assert.Equal(10, price.GetProperty("count").GetInt64());
        Assert.Equal(("$.price", "changed", "9.99", "10.99"), Example(price));
        // A sensitive field is named, never shown.
        Assert.Equal(("***", "***"), (Example(fields["$.owner.token"]).Primary, Example(fields["$.owner.token"]).Other));
        Assert.Equal(0.5, diffs.GetProperty("diffRate").GetDouble());
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("$.price", table.Output, StringComparison.Ordinal);
        Assert.Contains("GET /price/{id}: 10 of 10 differ", table.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", table.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_timestamp_that_differs_in_every_answer_is_learned_as_noise_and_an_ignored_field_is_never_compared()
    {
        async Task Answer(HttpContext context, int n) => await Json(context, $$"""{"at":"{{DateTime.UtcNow:O}}-{{n}}","requestId":"{{Guid.NewGuid()}}","total":3}""");
        await using var blue = await ScriptedUpstream.StartAsync(Answer);
        await using var green = await ScriptedUpstream.StartAsync(Answer);
        await using var env = await StartAsync(blue, green, new
        {
            Cluster = "green",
            Percentage = 100,
            Diff = new { NoisePercentage = 20, Ignore = new[] { "$.requestId" } },
        });
        using var client = env.CreateClient();

        for (var i = 0; i < 60; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/orders/{i}")).StatusCode);
        }

        var diffs = await DiffsAsync(env, compared: 60);

        var endpoint = Assert.Single(diffs.GetProperty("endpoints").EnumerateArray());
        Assert.Equal("GET /orders/{id}", endpoint.GetProperty("endpoint").GetString());
        var noiseSamples = endpoint.GetProperty("noiseSamples").GetInt64();
        Assert.True(noiseSamples > 0, endpoint.ToString());
        // Requests compared before the first noise sample count as not differing too: noise is taken out afterwards.
        Assert.Equal(0, endpoint.GetProperty("differing").GetInt64());
        Assert.Empty(endpoint.GetProperty("fields").EnumerateArray());
        var noise = Assert.Single(endpoint.GetProperty("noise").EnumerateArray());
        Assert.Equal(("$.at", 1.0, 60L), (noise.GetProperty("field").GetString(), noise.GetProperty("noiseRate").GetDouble(), noise.GetProperty("candidateCount").GetInt64()));
        Assert.Equal(noiseSamples, diffs.GetProperty("noise").GetProperty("sent").GetInt64());
        Assert.Equal(60 + noiseSamples, blue.Requests);
    }

    [Fact]
    public async Task An_answer_over_the_limit_reaches_the_client_whole_and_is_counted_as_not_compared()
    {
        var large = new string('x', 4096);
        await using var blue = await ScriptedUpstream.StartAsync((context, _) => context.Response.WriteAsync(context.Request.Path == "/large" ? large : "small"));
        await using var green = await ScriptedUpstream.StartAsync((context, _) => context.Response.WriteAsync(context.Request.Path == "/large" ? large : "smalL"));
        await using var env = await StartAsync(blue, green, new { Cluster = "green", Percentage = 100, Diff = new { MaxBodyBytes = 1024 } });
        using var client = env.CreateClient();

        var bodies = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            bodies.Add(await client.GetStringAsync("/large"));
        }

        await client.GetStringAsync("/small");
        var diffs = await DiffsAsync(env, compared: 1);
        await Eventually.TrueAsync(async () => (await DiffsAsync(env, compared: 1)).GetProperty("notCompared").GetProperty("body_too_large").GetInt64() == 5, "the large answers were not counted");

        Assert.All(bodies, body => Assert.Equal(large, body));
        var endpoint = Assert.Single(diffs.GetProperty("endpoints").EnumerateArray());
        Assert.Equal("GET /small", endpoint.GetProperty("endpoint").GetString());
        var field = Assert.Single(endpoint.GetProperty("fields").EnumerateArray());
        Assert.Equal("body", field.GetProperty("field").GetString());
        Assert.StartsWith("5 B, sha256 ", field.GetProperty("example").GetProperty("primary").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, diffs.GetProperty("memoryInUseBytes").GetInt64());
    }

    [Fact]
    public async Task Invalid_comparison_settings_are_refused_naming_the_field()
    {
        await using var blue = await ScriptedUpstream.StartAsync((context, _) => context.Response.WriteAsync("ok"));
        await using var green = await ScriptedUpstream.StartAsync((context, _) => context.Response.WriteAsync("ok"));
        await using var env = await StartAsync(blue, green, null);
        using var admin = env.CreateAdminClient();

        using var response = await admin.PutAsJsonAsync(
            "api/routes/shop/mirror", new { cluster = "green", percentage = 10, diff = new { ignore = new[] { "timestamp" }, noisePercentage = 101 } });
        var problem = await response.ReadJsonAsync();
        using var none = await admin.GetAsync("api/routes/shop/mirror/diffs");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("diff.ignore[0]", out _), problem.ToString());
        Assert.True(errors.TryGetProperty("diff.noisePercentage", out _), problem.ToString());
        Assert.False(env.MirrorStore().TryGet("shop", out _));
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    internal static async Task<TestEnvironment> StartAsync(ScriptedUpstream blue, ScriptedUpstream green, object? mirror) =>
        await TestEnvironment.StartAsync(["blue", "green"], Mirrors.Route(mirror), config =>
        {
            blue.Serve(config, "blue");
            green.Serve(config, "green");
        });

    internal static Task Json(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json, Encoding.UTF8);
    }

    /// <summary>The route's diffs once at least <paramref name="compared"/> requests were compared.</summary>
    internal static async Task<JsonElement> DiffsAsync(TestEnvironment env, long compared)
    {
        using var admin = env.CreateAdminClient(TestEnvironment.ViewerKey);
        JsonElement diffs = default;
        await Eventually.TrueAsync(
            async () =>
            {
                using var response = await admin.GetAsync("api/routes/shop/mirror/diffs");
                diffs = await response.ReadJsonAsync();
                return response.IsSuccessStatusCode && diffs.GetProperty("compared").GetInt64() >= compared;
            },
            $"the mirror did not compare {compared} requests");
        return diffs;
    }

    private static (long Compared, long Differing) Counts(JsonElement endpoint) =>
        (endpoint.GetProperty("compared").GetInt64(), endpoint.GetProperty("differing").GetInt64());

    private static (string? At, string? Kind, string? Primary, string? Other) Example(JsonElement field)
    {
        var example = field.GetProperty("example");
        return (example.GetProperty("at").GetString(), example.GetProperty("kind").GetString(), example.GetProperty("primary").GetString(), example.GetProperty("other").GetString());
    }
}
