using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.FunctionalTests.Rollouts;
using Proxy.Traffic.Tests.State.Redis;
using Xunit.Abstractions;

namespace Proxy.FunctionalTests.ScaleOut;

/// <summary>
/// One leader per rollout across a fleet: a real gateway process leads, an in-process instance follows, relays commands
/// to it, and continues the rollout at its step when the leader is killed with SIGKILL (its lease expires, nothing is
/// released).
/// </summary>
public sealed class RolloutLeaderTests(RedisServer redis, ITestOutputHelper output) : IClassFixture<RedisServer>, IDisposable
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(3);
    private readonly string _directory = Directory.CreateTempSubdirectory("proxy-leader-").FullName;

    private static object Plan(params object[] steps) => new
    {
        candidate = "canary",
        strategy = "canary",
        steps,
        analysis = new { interval = "00:00:00.5", minRequests = 5, maxErrorRate = 0.05, failureLimit = 2 },
    };

    [Fact]
    public async Task A_rollout_whose_leader_is_killed_is_continued_by_another_instance_to_the_end()
    {
        await using var fleet = await GatewayFleet.StartAsync(redis, 1, resyncInterval: TimeSpan.FromSeconds(1));
        var follower = fleet.Instances[0];
        await using var leader = await GatewayProcess.StartAsync(
            follower.ConfigFile, _directory, [.. fleet.Settings("gw-leader").Select(s => $"--{s.Key}={s.Value}")]);
        using var leaderAdmin = leader.CreateAdminClient();
        using var followerAdmin = follower.CreateAdminClient();
        using var traffic = new BackgroundTraffic(follower);
        using var leaderTraffic = new ProcessTraffic(leader.ProxyAddress);

        // Started on the leader; the follower sees it led by the leader. A long first step: the kill comes during it.
        await leaderAdmin.StartRolloutAsync(Plan(new { weight = 20, pause = "00:00:02" }, new { weight = 50, pause = "00:00:01" }, new { weight = 100 }));
        var seen = await LedByAsync(followerAdmin, "gw-leader", TimeSpan.FromSeconds(10));
        Assert.Equal(0, seen.GetProperty("step").GetInt32());

        // A command given to the follower is relayed to the leader, which applies it.
        var paused = await PostAsync(followerAdmin, "pause");
        Assert.Equal(("Paused", "gw-leader"), (paused.GetProperty("phase").GetString(), paused.GetProperty("leader").GetString()));
        Assert.Contains("paused by ops", paused.GetProperty("events").EnumerateArray().Last().GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("Progressing", (await PostAsync(followerAdmin, "resume")).GetProperty("phase").GetString());

        await leader.KillAsync();
        var killedAt = Stopwatch.GetTimestamp();
        var takenOver = await LedByAsync(followerAdmin, "gw-a", TimeSpan.FromSeconds(15));
        var takeover = Stopwatch.GetElapsedTime(killedAt);
        output.WriteLine($"Leader killed (SIGKILL) at step {takenOver.GetProperty("step").GetInt32() + 1}: gw-a leads after {takeover.TotalSeconds:F2} s (lease {LeaseDuration.TotalSeconds} s)");
        Assert.True(takeover < LeaseDuration + TimeSpan.FromSeconds(2), $"takeover took {takeover}");
        Assert.Equal("Progressing", takenOver.GetProperty("phase").GetString());

        var done = await followerAdmin.WaitForPhaseAsync("Succeeded", TimeSpan.FromSeconds(30));
        var messages = done.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()!).ToArray();
        Assert.Contains(messages, m => m.Contains("took over from gw-leader", StringComparison.Ordinal));
        Assert.DoesNotContain(messages, m => m.Contains("aborted", StringComparison.Ordinal));
        var (route, _) = await followerAdmin.GetRouteAsync();
        Assert.Equal(("canary", "blue=0, canary=100"), (route.GetProperty("stable").GetString(), route.Weights()));
        var (sent, failed) = await traffic.StopAsync();
        Assert.True(failed == 0, $"{failed} of {sent} requests through the follower failed");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>The route's rollout once <paramref name="instance"/> leads it, as the admin API of the asked instance shows it.</summary>
    private static Task<JsonElement> LedByAsync(HttpClient admin, string instance, TimeSpan timeout) => Eventually.ValueAsync(
        async () =>
        {
            using var response = await admin.GetAsync(new Uri("api/routes/shop/rollouts/current", UriKind.Relative));
            var rollout = response.IsSuccessStatusCode ? await response.ReadJsonAsync() : default;
            return response.IsSuccessStatusCode && rollout.GetProperty("leader").GetString() == instance ? rollout : (JsonElement?)null;
        },
        $"the rollout was not led by {instance} within {timeout}",
        timeout);

    private static async Task<JsonElement> PostAsync(HttpClient admin, string command)
    {
        using var response = await admin.PostAsync(new Uri($"api/routes/shop/rollouts/current/{command}", UriKind.Relative), null);
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{command}: {(int)response.StatusCode} {body}");
        return body;
    }

    /// <summary>Requests through the leader process, so that it sees traffic of its own; failures are expected once it is killed.</summary>
    private sealed class ProcessTraffic : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly HttpClient _client;

        public ProcessTraffic(Uri proxy)
        {
            _client = new HttpClient { BaseAddress = proxy, Timeout = TimeSpan.FromSeconds(2) };
            _ = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    try
                    {
                        using var response = await _client.GetAsync(new Uri("/", UriKind.Relative), _stop.Token);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
                    {
                        await Task.Delay(50);
                    }
                }
            });
        }

        public void Dispose()
        {
            _stop.Cancel();
            _client.Dispose();
        }
    }
}
