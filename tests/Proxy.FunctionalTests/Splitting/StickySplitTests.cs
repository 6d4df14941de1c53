using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Splitting;

public class StickySplitTests
{
    private static object Split(decimal canary) =>
        Splits.Route("blue", new() { ["blue"] = 100 - canary, ["canary"] = canary }, sticky: new { Key = "header:X-User-Id", Cookie = "proxy-variant" });

    [Fact]
    public async Task Cookie_user_sees_one_version_and_stays_on_the_candidate_when_its_weight_rises()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Split(10));

        // New visitors get a cookie; find one the 10% split put on canary.
        HttpClient? canaryUser = null;
        for (var visitor = 0; visitor < 500 && canaryUser is null; visitor++)
        {
            var client = env.CreateClient(cookies: true);
            if (await client.GetVersionAsync() == "canary")
            {
                canaryUser = client;
            }
            else
            {
                client.Dispose();
            }
        }

        Assert.NotNull(canaryUser);
        using (canaryUser)
        {
            await AssertAlwaysAsync(canaryUser, "canary", 200);

            await env.ReloadAsync(Split(50));

            await AssertAlwaysAsync(canaryUser, "canary", 200);
        }
    }

    [Fact]
    public async Task Issued_cookie_is_httponly_lax_and_holds_a_key_not_a_cluster()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Split(50));
        using var client = env.CreateClient(cookies: false);

        using var response = await client.GetAsync("/");

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("proxy-variant=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("canary", cookie, StringComparison.Ordinal);
        Assert.DoesNotContain("blue", cookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Header_keyed_users_keep_their_version_and_candidate_users_stay_when_its_weight_rises()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Split(10));
        using var client = env.CreateClient(cookies: false);

        var assigned = new Dictionary<string, string>();
        for (var user = 0; user < 200; user++)
        {
            var id = $"user-{user}";
            assigned[id] = await client.GetVersionAsync("/", r => r.Headers.Add("X-User-Id", id));
        }

        Assert.Contains("canary", assigned.Values);
        Assert.Contains("blue", assigned.Values);
        foreach (var (id, version) in assigned.Take(20))
        {
            for (var i = 0; i < 10; i++)
            {
                Assert.Equal(version, await client.GetVersionAsync("/", r => r.Headers.Add("X-User-Id", id)));
            }
        }

        await env.ReloadAsync(Split(50));

        var movedToCanary = 0;
        foreach (var (id, before) in assigned)
        {
            var after = await client.GetVersionAsync("/", r => r.Headers.Add("X-User-Id", id));
            if (before == "canary")
            {
                Assert.Equal("canary", after);
            }
            else if (after == "canary")
            {
                movedToCanary++;
            }
        }

        Assert.True(movedToCanary > 0, "raising canary to 50% moved no blue user to it");
    }

    private static async Task AssertAlwaysAsync(HttpClient client, string version, int requests)
    {
        for (var i = 0; i < requests; i++)
        {
            Assert.Equal(version, await client.GetVersionAsync());
        }
    }
}
