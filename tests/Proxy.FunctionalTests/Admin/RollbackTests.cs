using System.Net;
using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Admin;

public class RollbackTests
{
    [Fact]
    public async Task Rollback_sends_the_next_request_to_stable()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 0, ["canary"] = 100 }));
        using var admin = env.CreateAdminClient();
        using var client = env.CreateClient(cookies: false);
        Assert.Equal("canary", await client.GetVersionAsync());

        using var response = await admin.PostAsync("api/routes/shop/rollback", new { reason = "errors on canary" });

        response.EnsureSuccessStatusCode();
        Assert.Equal("blue", await client.GetVersionAsync());
        Assert.Equal("blue=100, canary=0", (await response.ReadJsonAsync()).Weights());
    }

    [Fact]
    public async Task After_a_rollback_under_load_not_one_later_request_reaches_the_candidate()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 50, ["canary"] = 50 }));
        using var admin = env.CreateAdminClient();
        using var client = env.CreateClient(cookies: false);

        var (servedAfter, failures) = await ChangeUnderLoad.RunAsync(client, async () =>
        {
            using var response = await admin.PostAsync("api/routes/shop/rollback");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        });

        Assert.Empty(failures);
        Assert.Equal(["blue"], servedAfter.Keys);
    }
}
