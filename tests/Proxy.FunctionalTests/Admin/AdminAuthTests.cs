using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Admin;

public sealed class AdminAuthTests : IAsyncLifetime
{
    private TestEnvironment _env = null!;

    public async Task InitializeAsync() =>
        _env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 90, ["canary"] = 10 }));

    public async Task DisposeAsync() => await _env.DisposeAsync();

    [Theory]
    [InlineData(null, "GET", HttpStatusCode.Unauthorized)]
    [InlineData("not-a-key", "GET", HttpStatusCode.Unauthorized)]
    [InlineData(TestEnvironment.ViewerKey, "GET", HttpStatusCode.OK)]
    [InlineData(TestEnvironment.OperatorKey, "GET", HttpStatusCode.OK)]
    [InlineData(null, "PUT", HttpStatusCode.Unauthorized)]
    [InlineData("not-a-key", "PUT", HttpStatusCode.Unauthorized)]
    [InlineData(TestEnvironment.ViewerKey, "PUT", HttpStatusCode.Forbidden)]
    [InlineData(TestEnvironment.OperatorKey, "PUT", HttpStatusCode.OK)]
    [InlineData(TestEnvironment.ViewerKey, "POST", HttpStatusCode.Forbidden)]
    [InlineData(TestEnvironment.OperatorKey, "POST", HttpStatusCode.OK)]
    public async Task Reads_need_any_valid_key_and_changes_need_an_operator_key(string? key, string method, HttpStatusCode expected)
    {
        using var admin = _env.CreateAdminClient(key);
        using var response = method switch
        {
            "GET" => await admin.GetAsync("api/routes/shop"),
            "PUT" => await admin.PutWeightsAsync(new { blue = 90, canary = 10 }),
            _ => await admin.PostAsync("api/routes/shop/undo", null),
        };

        // Undo has nothing to undo at revision 1, so an authorized POST answers 409; what matters is that it got past auth.
        var status = method == "POST" && response.StatusCode == HttpStatusCode.Conflict ? HttpStatusCode.OK : response.StatusCode;
        Assert.Equal(expected, status);
        if (!response.IsSuccessStatusCode)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task A_change_records_the_name_of_the_key_that_made_it()
    {
        using var admin = _env.CreateAdminClient();
        using var response = await admin.PutWeightsAsync(new { blue = 80, canary = 20 }, reason: "more canary");

        response.EnsureSuccessStatusCode();
        var latest = (await admin.GetHistoryAsync())[0];
        Assert.Equal(("ops", "set-weights", "api", "more canary"), (latest.GetProperty("actor").GetString(), latest.GetProperty("action").GetString(), latest.GetProperty("source").GetString(), latest.GetProperty("reason").GetString()));
    }

    [Theory]
    [InlineData("api/routes")]
    [InlineData("api/routes/shop")]
    [InlineData("healthz")]
    [InlineData("readyz")]
    [InlineData("openapi/v1.json")]
    public async Task The_proxy_port_never_serves_the_admin_api(string path)
    {
        using var proxy = _env.CreateClient(cookies: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", TestEnvironment.OperatorKey);

        // The admin listener's Host header changes nothing: isolation is by the connection, not by what the client says.
        request.Headers.Host = _env.AdminAddress.Authority;
        using var response = await proxy.SendAsync(request);

        // The demo upstream answered (it names its version), so the request was proxied.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.Contains("X-Demo-Version"));
    }

    [Fact]
    public async Task Proxied_requests_are_not_authenticated_only_admin_endpoints_are()
    {
        // Only the admin policies name the API-key scheme; were it a default scheme, every proxied request would run its
        // handler (and an upstream's own Authorization header would be checked against the admin keys).
        var schemes = _env.Services.GetRequiredService<IAuthenticationSchemeProvider>();

        Assert.Null(await schemes.GetDefaultAuthenticateSchemeAsync());
        using var client = _env.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "an-upstream-token");
        using var proxied = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);
        using var admin = _env.CreateAdminClient();
        using var route = await admin.GetAsync(new Uri("api/routes/shop", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, route.StatusCode);
    }

    [Fact]
    public async Task The_admin_port_never_proxies()
    {
        using var admin = _env.CreateAdminClient();
        using var response = await admin.GetAsync("anything");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, _env.Upstream("blue").Stats.Total + _env.Upstream("canary").Stats.Total);
    }

    [Fact]
    public async Task Probes_and_the_openapi_document_answer_without_a_key()
    {
        using var admin = _env.CreateAdminClient(key: null);

        Assert.Equal("Healthy", await admin.GetStringAsync("healthz"));
        Assert.Equal("Healthy", await admin.GetStringAsync("readyz"));
        using var openApi = JsonDocument.Parse(await admin.GetStringAsync("openapi/v1.json"));
        var paths = openApi.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/routes/{id}/weights", out _));
        Assert.True(paths.TryGetProperty("/api/routes/{id}/rollback", out _));
        Assert.True(paths.TryGetProperty("/api/clusters/{id}/isolate", out _));
        Assert.True(paths.TryGetProperty("/api/routes/{id}/rollouts/current/approve", out _));
        Assert.Equal("bearer", openApi.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey").GetProperty("scheme").GetString());
    }
}
