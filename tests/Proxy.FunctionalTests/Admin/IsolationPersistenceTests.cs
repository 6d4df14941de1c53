using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.Health;
using Proxy.Traffic.State;
using Microsoft.Extensions.DependencyInjection;

namespace Proxy.FunctionalTests.Admin;

/// <summary>An operator's isolation is an acknowledged change: it is in the state file before the answer and outlives restarts.</summary>
public sealed class IsolationPersistenceTests
{
    private static object Split(decimal canary) => Splits.Route("blue", new() { ["blue"] = 100 - canary, ["canary"] = canary });

    [Fact]
    public async Task An_isolated_cluster_stays_out_of_rotation_after_a_restart_until_it_is_reset()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Split(100));
        using (var admin = env.CreateAdminClient())
        {
            (await admin.PostAsync("api/clusters/canary/isolate", new { reason = "bad build" })).EnsureSuccessStatusCode();
        }

        await env.RestartGatewayAsync();

        Assert.Equal(BreakerState.Isolated, env.Health.GetStatus("canary").Breaker);
        Assert.Equal("bad build (isolated by ops)", env.Health.GetStatus("canary").Reason);
        using (var client = env.CreateClient(cookies: false))
        {
            Assert.Equal(new Dictionary<string, int> { ["blue"] = 20 }, await Load.RunAsync(client, requests: 20, parallelism: 2));
        }

        using (var admin = env.CreateAdminClient())
        {
            (await admin.PostAsync("api/clusters/canary/reset", new { reason = "fixed" })).EnsureSuccessStatusCode();
        }

        await env.RestartGatewayAsync();

        Assert.Equal(BreakerState.Closed, env.Health.GetStatus("canary").Breaker);
        using var restarted = env.CreateClient(cookies: false);
        Assert.Equal(new Dictionary<string, int> { ["canary"] = 20 }, await Load.RunAsync(restarted, requests: 20, parallelism: 2));
    }

    [Fact]
    public async Task Isolate_and_reset_are_audited_in_the_state_file_with_the_key_name()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Split(10));
        using var admin = env.CreateAdminClient();

        (await admin.PostAsync("api/clusters/canary/isolate", new { reason = "bad build" })).EnsureSuccessStatusCode();
        (await admin.PostAsync("api/clusters/canary/reset")).EnsureSuccessStatusCode();

        var history = (await new SqliteStateRepository(env.StateFile).GetHistoryAsync(IsolationSetting.Key("canary"), 10, default)).Select(IsolationSetting.Read).ToArray();
        Assert.Equal(
            [(IsolationChange.ResetAction, "ops", (string?)null), (IsolationChange.IsolateAction, "ops", "bad build")],
            history.Select(h => (h.Action, h.Actor, h.Reason)));
        Assert.DoesNotContain((await env.Services.GetRequiredService<IStateRepository>().LoadAsync(default)).Settings, s => s.Key.Kind == SettingKinds.Isolation && s.Value is not null);

        // The same trail through the admin API, for any key; writes still need an operator's.
        using var viewer = env.CreateAdminClient(TestEnvironment.ViewerKey);
        using var response = await viewer.GetAsync(new Uri("api/clusters/canary/history", UriKind.Relative));
        var trail = await response.ReadJsonAsync();
        Assert.True(response.IsSuccessStatusCode, trail.ToString());
        Assert.Equal(
            [("reset", "ops", null), ("isolate", "ops", "bad build")],
            trail.EnumerateArray().Select(e => (e.GetProperty("action").GetString(), e.GetProperty("actor").GetString(), e.GetProperty("reason").GetString())));
        using var refused = await viewer.PostAsync(new Uri("api/clusters/canary/isolate", UriKind.Relative), null);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
        using var unknown = await viewer.GetAsync(new Uri("api/clusters/nope/history", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
