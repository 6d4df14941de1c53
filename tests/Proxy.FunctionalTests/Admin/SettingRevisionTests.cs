using System.Net;
using System.Net.Http.Json;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.FunctionalTests.Mirroring;
using Proxy.Traffic.Health;

namespace Proxy.FunctionalTests.Admin;

/// <summary>Mirrors and isolations are revisioned like splits: their revision is the ETag, a stale If-Match is refused with 412, history shows before/after.</summary>
public class SettingRevisionTests
{
    private const string Mirror = "api/routes/shop/mirror";

    [Fact]
    public async Task A_mirror_change_with_a_stale_if_match_is_refused_and_changes_nothing()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "green"], Mirrors.Route(mirror: null));
        using var admin = env.CreateAdminClient();
        using var read = await admin.GetAsync(Mirror);
        Assert.Equal("\"0\"", read.Headers.ETag!.Tag);

        using var set = await SendAsync(admin, HttpMethod.Put, Mirror, "\"0\"", new { cluster = "green", percentage = 50, reason = "dark launch" });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal("\"1\"", set.Headers.ETag!.Tag);

        using var stale = await SendAsync(admin, HttpMethod.Put, Mirror, "\"0\"", new { cluster = "green", percentage = 100 });
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("\"1\"", stale.Headers.ETag!.Tag);
        Assert.Equal(50m, (await (await admin.GetAsync(Mirror)).ReadJsonAsync()).GetProperty("settings").GetProperty("percentage").GetDecimal());

        using var off = await SendAsync(admin, HttpMethod.Delete, Mirror, "\"1\"", new { reason = "enough" });
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        Assert.Equal("\"2\"", off.Headers.ETag!.Tag);

        var history = (await (await admin.GetAsync($"{Mirror}/history")).ReadJsonAsync()).EnumerateArray().ToArray();
        Assert.Equal([2L, 1L], history.Select(h => h.GetProperty("revision").GetInt64()));
        Assert.Equal(50m, history[0].GetProperty("before").GetProperty("percentage").GetDecimal());
        Assert.Equal(JsonValueKindNull, history[0].GetProperty("after").ValueKind);
    }

    [Fact]
    public async Task An_isolation_with_a_stale_if_match_is_refused_and_history_shows_before_and_after()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 90, ["canary"] = 10 }));
        using var admin = env.CreateAdminClient();

        using var isolate = await SendAsync(admin, HttpMethod.Post, "api/clusters/canary/isolate", "\"0\"", new { reason = "bad build" });
        Assert.Equal(HttpStatusCode.OK, isolate.StatusCode);
        Assert.Equal("\"1\"", isolate.Headers.ETag!.Tag);

        using var stale = await SendAsync(admin, HttpMethod.Post, "api/clusters/canary/reset", "\"0\"", new { reason = "too early" });
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(BreakerState.Isolated, env.Health.GetStatus("canary").Breaker);

        using var reset = await SendAsync(admin, HttpMethod.Post, "api/clusters/canary/reset", "\"1\"", new { reason = "fixed" });
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);

        using var response = await admin.GetAsync("api/clusters/canary/history");
        Assert.Equal("\"2\"", response.Headers.ETag!.Tag);
        var history = (await response.ReadJsonAsync()).EnumerateArray().ToArray();
        Assert.Equal([(2L, "reset"), (1L, "isolate")], history.Select(h => (h.GetProperty("revision").GetInt64(), h.GetProperty("action").GetString())));
        Assert.Equal("bad build", history[0].GetProperty("before").GetProperty("reason").GetString());
        Assert.Equal(JsonValueKindNull, history[0].GetProperty("after").ValueKind);
        Assert.Equal(JsonValueKindNull, history[1].GetProperty("before").ValueKind);
        Assert.Equal("ops", history[1].GetProperty("after").GetProperty("actor").GetString());
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    private static Task<HttpResponseMessage> SendAsync(HttpClient admin, HttpMethod method, string path, string ifMatch, object body)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return admin.SendAsync(request);
    }
}
