using System.Net.Http.Json;
using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Experiments;

public class FlagExperimentTests
{
    private static object Section() => new
    {
        Routes = new Dictionary<string, object>
        {
            ["shop"] = new
            {
                Stable = "blue",
                Weights = new Dictionary<string, decimal> { ["blue"] = 100 },
                Experiment = new
                {
                    Name = "new-checkout-test",
                    Flag = "new-checkout",
                    Goals = new object[] { new { Name = "order", Method = "POST", Path = "/api/orders" } },
                },
            },
        },
        Flags = new Dictionary<string, object>
        {
            ["new-checkout"] = new
            {
                Variants = new Dictionary<string, string> { ["off"] = "false", ["on"] = "true" },
                Default = "off",
                Routes = new[] { "shop" },
                Key = "header:X-User-Id",
                Rules = new object[] { new { Header = "X-Beta", Values = new[] { "1" }, Variant = "on" } },
                Rollout = new Dictionary<string, decimal> { ["on"] = 50 },
            },
        },
    };

    [Fact]
    public async Task Flag_variants_are_arms_and_the_winner_becomes_the_flags_default()
    {
        await using var env = await TestEnvironment.StartAsync(["blue"], Section());
        using var client = env.CreateClient(cookies: false);
        using var admin = env.CreateAdminClient();

        // One version deployed: users the flag gives "on" order seven times in ten, the others three (the new checkout is better).
        for (var i = 0; i < 600; i++)
        {
            var user = $"user-{i}";
            using var evaluation = await admin.PostAsJsonAsync("ofrep/v1/evaluate/flags/new-checkout", new { context = new { targetingKey = user } });
            var on = (await evaluation.ReadJsonAsync()).GetProperty("variant").GetString() == "on";
            await Experiments.VisitAsync(client, user, orders: i % 10 < (on ? 7 : 3));
        }

        // A tester forced on by a rule was not randomized: not counted.
        await Experiments.VisitAsync(client, "tester", orders: true, r => r.Headers.Add("X-Beta", "1"));

        using var report = await admin.GetAsync("api/routes/shop/experiments/new-checkout-test");
        var body = await report.ReadJsonAsync();
        using var promote = await admin.PostAsync("api/routes/shop/experiments/new-checkout-test/promote", null);
        var promoted = await promote.ReadJsonAsync();
        var flag = await (await admin.GetAsync("api/flags/new-checkout")).ReadJsonAsync();
        var history = await (await admin.GetAsync("api/flags/new-checkout/history")).ReadJsonAsync();

        Assert.Equal(("winner", "on"), (body.Verdict(), body.GetProperty("outcome").GetProperty("winner").GetString()));
        Assert.Equal(600, body.GetProperty("arms").EnumerateArray().Sum(a => a.GetProperty("exposed").GetInt64()));
        Assert.Equal(System.Net.HttpStatusCode.OK, promote.StatusCode);
        Assert.Equal("promoted", promoted.GetProperty("experiment").GetProperty("state").GetString());
        Assert.Equal(("on", 0), (flag.GetProperty("default").GetString(), flag.GetProperty("rollout").EnumerateObject().Count()));
        Assert.Equal("experiment-promote", history[0].GetProperty("action").GetString());
        Assert.StartsWith("experiment new-checkout-test: on wins", history[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
    }
}
