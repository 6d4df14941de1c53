using System.Net;
using System.Net.Http.Headers;
using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Admin;

/// <summary>
/// The generated corpus of malformed bodies (<see cref="AdminFuzzCorpus"/>) against one real gateway: each gets a 4xx
/// problem answer naming its field (OFREP: its own error body), and leaves the split, its history, the rollout, the mirror,
/// the isolations, the flag and the experiment as they were.
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
        if (fuzz.Ofrep && response.StatusCode == HttpStatusCode.BadRequest)
        {
            // OFREP answers a bad request with its own error body (docs/flags.md); a single evaluation names its flag.
            var error = await response.ReadJsonAsync();
            Assert.True(error.TryGetProperty("errorCode", out var code) && code.GetString() is "INVALID_CONTEXT" or "PARSE_ERROR", $"{fuzz.Name}: not an OFREP error: {text}");
            Assert.True(fuzz.Path.EndsWith("/flags", StringComparison.Ordinal) || error.GetProperty("key").GetString() == AdminFuzzCorpus.Flag, $"{fuzz.Name}: the error does not name the flag: {text}");
            Assert.Equal(gateway.InitialState, await StateAsync(admin));
            return;
        }

        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{fuzz.Name}: not problem details: {text}");
        Assert.True(fuzz.Title is null || (await response.ReadJsonAsync()).GetProperty("title").GetString() == fuzz.Title, $"{fuzz.Name}: expected '{fuzz.Title}': {text}");
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

    // Everything a write could change: the split and its revision, its audit trail, the rollout, the mirror, the isolations, the flag, the experiment.
    private static async Task<string> StateAsync(HttpClient admin)
    {
        var parts = new List<string>();
        string[] paths =
        [
            "api/routes/shop", "api/routes/shop/history?limit=1000", "api/routes/shop/rollouts/current", "api/routes/shop/mirror", "api/clusters/blue/history",
            "api/clusters/canary/history", "api/flags", $"api/flags/{AdminFuzzCorpus.Flag}/history", $"api/routes/shop/experiments/{AdminFuzzCorpus.Experiment}",
            $"api/routes/shop/experiments/{AdminFuzzCorpus.Experiment}/history",
        ];
        foreach (var path in paths)
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
            Environment = await TestEnvironment.StartAsync(["blue", "canary"], new
            {
                Routes = new Dictionary<string, object>
                {
                    ["shop"] = new
                    {
                        Stable = "blue",
                        Weights = new Dictionary<string, decimal> { ["blue"] = 90, ["canary"] = 10 },
                        Sticky = new { Key = "header:X-User-Id" },
                        Experiment = new { Name = AdminFuzzCorpus.Experiment, Goals = new object[] { new { Name = "order", Path = "/api/orders" } } },
                    },
                },
                Flags = new Dictionary<string, object>
                {
                    [AdminFuzzCorpus.Flag] = new { Variants = new Dictionary<string, string> { ["off"] = "false", ["on"] = "true" }, Default = "off", Routes = new[] { "shop" },
                        Rollout = new Dictionary<string, decimal> { ["on"] = 20 } },
                },
            });
            using var admin = Environment.CreateAdminClient();
            InitialState = await StateAsync(admin);
        }

        public async Task DisposeAsync() => await Environment.DisposeAsync();
    }
}
