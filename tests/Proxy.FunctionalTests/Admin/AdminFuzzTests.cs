using System.Net;
using System.Net.Http.Headers;
using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Admin;

/// <summary>
/// The generated corpus of malformed bodies (<see cref="AdminFuzzCorpus"/>) against one real gateway: each gets a 4xx
/// problem answer naming its field, and leaves the split, its history, the rollout, the mirror and the isolations as they were.
/// </summary>
public sealed class AdminFuzzTests(AdminFuzzTests.Gateway gateway) : IClassFixture<AdminFuzzTests.Gateway>
{
    public static TheoryData<FuzzCase> Corpus => AdminFuzzCorpus.Cases();

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task A_malformed_body_gets_a_4xx_problem_naming_its_field_and_changes_nothing(FuzzCase fuzz)
    {
        using var admin = gateway.Environment.CreateAdminClient();

        using var request = new HttpRequestMessage(new HttpMethod(fuzz.Method), fuzz.Path);
        if (fuzz.Body is not null)
        {
            request.Content = new ByteArrayContent(fuzz.Body);
            request.Content.Headers.ContentType = fuzz.ContentType is null ? null : MediaTypeHeaderValue.Parse(fuzz.ContentType);
        }

        using var response = await admin.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{fuzz.Name}: expected a 4xx, got {(int)response.StatusCode}: {text}");
        Assert.True(fuzz.Status is null || fuzz.Status == (int)response.StatusCode, $"{fuzz.Name}: expected {fuzz.Status}, got {(int)response.StatusCode}: {text}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{fuzz.Name}: not problem details: {text}");
        if (fuzz.Field is { } field)
        {
            var errors = (await response.ReadJsonAsync()).TryGetProperty("errors", out var e) ? e : default;
            Assert.True(
                errors.ValueKind == System.Text.Json.JsonValueKind.Object
                    && errors.EnumerateObject().Any(p => p.Name == field || p.Name.StartsWith(field + ".", StringComparison.Ordinal) || p.Name.StartsWith(field + "[", StringComparison.Ordinal)),
                $"{fuzz.Name}: the problem does not name '{field}': {text}");
        }

        Assert.Equal(gateway.InitialState, await StateAsync(admin));
    }

    // Everything a write could change: the split and its revision, its audit trail, the rollout, the mirror, the isolations.
    private static async Task<string> StateAsync(HttpClient admin)
    {
        var parts = new List<string>();
        foreach (var path in new[] { "api/routes/shop", "api/routes/shop/history?limit=1000", "api/routes/shop/rollouts/current", "api/routes/shop/mirror", "api/clusters/blue/history", "api/clusters/canary/history" })
        {
            using var response = await admin.GetAsync(path);
            // A problem answer (no rollout, no mirror yet) carries a per-request trace id: its status is the state.
            var body = response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : "";
            parts.Add($"{path} {(int)response.StatusCode} {response.Headers.ETag} {body}");
        }

        return string.Join(Environment.NewLine, parts);
    }

    /// <summary>One gateway for the whole corpus: no case may change it.</summary>
    public sealed class Gateway : IAsyncLifetime
    {
        public TestEnvironment Environment { get; private set; } = null!;

        /// <summary>The state before any case ran: every case must leave it so.</summary>
        public string InitialState { get; private set; } = "";

        public async Task InitializeAsync()
        {
            Environment = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 90, ["canary"] = 10 }));
            using var admin = Environment.CreateAdminClient();
            InitialState = await StateAsync(admin);
        }

        public async Task DisposeAsync() => await Environment.DisposeAsync();
    }
}
