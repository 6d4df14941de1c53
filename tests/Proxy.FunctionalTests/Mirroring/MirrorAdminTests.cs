using System.Net;
using System.Net.Http.Json;
using System.Text;
using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Mirroring;

/// <summary>Turning a route's mirror on and off through the admin API: in force at once, audited, persisted, validated.</summary>
public class MirrorAdminTests
{
    private const string Mirror = "api/routes/shop/mirror";

    [Fact]
    public async Task Mirror_is_switched_on_and_off_at_runtime_audited_and_kept_across_a_restart()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "green"], Mirrors.Route(mirror: null));
        var green = env.Upstream("green");
        using var admin = env.CreateAdminClient();
        using var client = env.CreateClient(cookies: false);

        var initial = await (await admin.GetAsync(Mirror)).ReadJsonAsync();
        Assert.False(initial.GetProperty("enabled").GetBoolean());

        using (var put = await admin.PutAsJsonAsync(Mirror, new { cluster = "green", percentage = 100, timeout = "00:00:03", reason = "dark launch of green" }))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            var state = await put.ReadJsonAsync();
            Assert.True(state.GetProperty("enabled").GetBoolean());
            Assert.Equal("api", state.GetProperty("source").GetString());
            Assert.Equal("green", state.GetProperty("settings").GetProperty("cluster").GetString());
        }

        // In force for the very next requests.
        for (var i = 0; i < 10; i++)
        {
            await client.GetVersionAsync();
        }

        await Eventually.TrueAsync(() => green.Stats.Total == 10, $"green received {green.Stats.Total} copies, not 10");
        await Eventually.TrueAsync(() => env.Comparison().Compared() == 10, "the copies were not compared");
        var comparison = (await (await admin.GetAsync(Mirror)).ReadJsonAsync()).GetProperty("comparison");
        var (route, _) = await admin.GetRouteAsync();
        Assert.Equal(10, route.GetProperty("mirror").GetProperty("comparison").GetProperty("sent").GetInt64());
        Assert.Equal(10, comparison.GetProperty("results").GetProperty("match").GetInt64());
        Assert.Equal(10, comparison.GetProperty("mirror").GetProperty("statusClasses").GetProperty("2xx").GetInt64());

        // Persisted: a restarted gateway mirrors the same way.
        await env.RestartGatewayAsync();
        using var restartedAdmin = env.CreateAdminClient();
        var restarted = await (await restartedAdmin.GetAsync(Mirror)).ReadJsonAsync();
        Assert.True(restarted.GetProperty("enabled").GetBoolean());
        Assert.Equal(100m, restarted.GetProperty("settings").GetProperty("percentage").GetDecimal());

        using (var delete = await restartedAdmin.DeleteAsync(Mirror))
        {
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
            Assert.False((await delete.ReadJsonAsync()).GetProperty("enabled").GetBoolean());
        }

        using var restartedClient = env.CreateClient(cookies: false);
        for (var i = 0; i < 10; i++)
        {
            await restartedClient.GetVersionAsync();
        }

        Assert.Equal(10, green.Stats.Total);

        var history = (await (await restartedAdmin.GetAsync($"{Mirror}/history")).ReadJsonAsync()).EnumerateArray().ToArray();
        Assert.Equal(["remove-mirror", "set-mirror"], history.Select(h => h.GetProperty("action").GetString()));
        Assert.All(history, h => Assert.Equal("ops", h.GetProperty("actor").GetString()));
        Assert.Equal("dark launch of green", history[1].GetProperty("reason").GetString());
        Assert.Equal("green", history[0].GetProperty("before").GetProperty("cluster").GetString());
    }

    [Fact]
    public async Task Only_operators_change_a_mirror_and_only_of_a_known_route()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "green"], Mirrors.Route(mirror: null));
        using var viewer = env.CreateAdminClient(TestEnvironment.ViewerKey);
        using var anonymous = env.CreateAdminClient(key: null);
        using var admin = env.CreateAdminClient();
        var body = new { cluster = "green", percentage = 10 };

        using var forbidden = await viewer.PutAsJsonAsync(Mirror, body);
        using var unauthorized = await anonymous.DeleteAsync(Mirror);
        using var unknown = await admin.PutAsJsonAsync("api/routes/ghost/mirror", body);
        using var read = await viewer.GetAsync(Mirror);

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }
}

/// <summary>Every invalid mirror setting gets a 400 problem naming the field, and changes nothing. One gateway for the table.</summary>
public sealed class MirrorBadRequestTests(MirrorBadRequestTests.Gateway gateway) : IClassFixture<MirrorBadRequestTests.Gateway>
{
    private const string Mirror = "api/routes/shop/mirror";

    [Theory]
    [InlineData("""{"percentage":10}""", "cluster")]
    [InlineData("""{"cluster":"ghost","percentage":10}""", "cluster")]
    [InlineData("""{"cluster":"green"}""", "percentage")]
    [InlineData("""{"cluster":"green","percentage":100.5}""", "percentage")]
    [InlineData("""{"cluster":"green","percentage":12.345}""", "percentage")]
    [InlineData("""{"cluster":"green","percentage":"ten"}""", "percentage")]
    [InlineData("""{"cluster":"green","percentage":10,"methods":["GET","not a method"]}""", "methods[1]")]
    [InlineData("""{"cluster":"green","percentage":10,"maxBodyBytes":-1}""", "maxBodyBytes")]
    [InlineData("""{"cluster":"green","percentage":10,"maxConcurrency":0}""", "maxConcurrency")]
    [InlineData("""{"cluster":"green","percentage":10,"timeout":"01:00:00"}""", "timeout")]
    [InlineData("""{"cluster":"green","percentage":10,"timeout":"soon"}""", "timeout")]
    [InlineData("""{"cluster":"green","percentage":10,"precentage":10}""", "precentage")]
    [InlineData("""{"cluster":"green","percentage":10,"reason":5}""", "reason")]
    public async Task An_invalid_mirror_gets_a_problem_naming_the_field_and_changes_nothing(string body, string field)
    {
        using var admin = gateway.Environment.CreateAdminClient();

        using var response = await admin.PutAsync(Mirror, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"the problem does not name '{field}': {errors}");
        var state = await (await admin.GetAsync(Mirror)).ReadJsonAsync();
        Assert.Equal("config", state.GetProperty("source").GetString());
        Assert.Equal(5m, state.GetProperty("settings").GetProperty("percentage").GetDecimal());
        Assert.Empty((await (await admin.GetAsync($"{Mirror}/history")).ReadJsonAsync()).EnumerateArray());
    }

    /// <summary>A gateway whose route mirrors 5% to green from its configuration file.</summary>
    public sealed class Gateway : IAsyncLifetime
    {
        public TestEnvironment Environment { get; private set; } = null!;

        public async Task InitializeAsync() =>
            Environment = await TestEnvironment.StartAsync(["blue", "green"], Mirrors.Route(new { Cluster = "green", Percentage = 5 }));

        public async Task DisposeAsync() => await Environment.DisposeAsync();
    }
}
