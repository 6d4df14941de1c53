using System.Net.Http.Json;
using System.Text.Json;
using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Experiments;

/// <summary>TrafficSplit sections with an experiment on route "shop", and the users that drive one.</summary>
public static class Experiments
{
    public const string Name = "checkout";

    /// <summary>A 50/50 sticky split of blue and green (breakers that never open: scripted upstream errors are the point) with an experiment.</summary>
    public static object Split(object[]? overrides = null) => new
    {
        Routes = new Dictionary<string, object>
        {
            ["shop"] = new
            {
                Stable = "blue",
                Weights = new Dictionary<string, decimal> { ["blue"] = 50, ["green"] = 50 },
                Sticky = new { Key = "header:X-User-Id" },
                Overrides = overrides ?? [],
                CircuitBreaker = new { FailureRatio = 1.0, MinimumThroughput = 1_000_000 },
                Experiment = new
                {
                    Name,
                    Goals = new object[] { new { Name = "order", Method = "POST", Path = "/api/orders", Status = "2xx" } },
                },
            },
        },
    };

    /// <summary>A user looks at the shop (exposure), then places an order when <paramref name="orders"/> says so (the goal).</summary>
    public static async Task VisitAsync(HttpClient client, string user, bool orders, Action<HttpRequestMessage>? configure = null)
    {
        using (var look = new HttpRequestMessage(HttpMethod.Get, "/products"))
        {
            look.Headers.Add("X-User-Id", user);
            configure?.Invoke(look);
            using var _ = await client.SendAsync(look);
        }

        if (orders)
        {
            using var order = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(new { item = 1 }) };
            order.Headers.Add("X-User-Id", user);
            configure?.Invoke(order);
            using var _ = await client.SendAsync(order);
        }
    }

    public static async Task<JsonElement> ReportAsync(this HttpClient admin)
    {
        using var response = await admin.GetAsync($"api/routes/shop/experiments/{Name}");
        response.EnsureSuccessStatusCode();
        return await response.ReadJsonAsync();
    }

    public static string Verdict(this JsonElement report) => report.GetProperty("outcome").GetProperty("verdict").GetString()!;

    public static string Text(this JsonElement report) => report.GetProperty("outcome").GetProperty("text").GetString()!;
}
