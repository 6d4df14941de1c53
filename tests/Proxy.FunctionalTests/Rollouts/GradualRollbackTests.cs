using System.Diagnostics;
using System.Text.Json;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.Events;

namespace Proxy.FunctionalTests.Rollouts;

/// <summary>
/// A gradual rollback end to end: each weight of <c>rollback.steps</c> is a split revision seen on the event stream as it
/// happens, held for the rollback interval with the candidate still serving its share; an operator's route rollback
/// stops the walk at once. The walk's exact timing is asserted on fake time by Proxy.Traffic.Tests' GradualRollbackTests.
/// </summary>
public class GradualRollbackTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan WalkInterval = TimeSpan.FromSeconds(2);

    // The candidate at 80% until its first verdict fails, then 50%, 20%, 0%, two seconds each.
    private static readonly object Plan = new
    {
        candidate = "canary",
        steps = new object[] { new { weight = 80, pause = Patience.ToString("c") }, new { weight = 100 } },
        analysis = new { interval = "00:00:00.5", minRequests = 15, maxErrorRate = 0.05, inconclusiveTimeout = Patience.ToString("c") },
        rollback = new { steps = new[] { 50, 20, 0 }, interval = WalkInterval.ToString("c") },
    };

    [Fact]
    public async Task A_failing_canary_is_walked_down_one_revision_per_interval_serving_its_share_until_stable_has_all_traffic()
    {
        await using var scene = await WalkingCanary.StartAsync();
        var (admin, load, events) = (scene.Admin, scene.Load, scene.Events);

        // Reads of the rollout until the walk ends: one sent after an answer that still shows the walk proves that answer
        // was decided during it. (Its state is saved just after each revision it writes.)
        var (lastWalking, nextActions) = (scene.AtFifty, new List<string>());
        while (true)
        {
            var asked = Stopwatch.GetTimestamp();
            var walking = await admin.GetRolloutAsync();
            if (walking.GetProperty("phase").GetString() != "RollingBack")
            {
                break;
            }

            lastWalking = asked;
            nextActions.Add(walking.GetProperty("nextAction").GetString()!);
            await Task.Delay(50);
        }

        Assert.NotEmpty(nextActions); // the walk lasts 4 s after the 50% revision: long enough to be seen on a loaded machine
        Assert.All(nextActions, a => Assert.StartsWith("rollback step ", a, StringComparison.Ordinal));
        Assert.True(load.AnsweredBetween(scene.AtFifty, lastWalking).GetValueOrDefault("canary") > 0, "the candidate served nothing during the walk");
        Assert.Equal(("rollout-rollback-step", 20m), Candidate(await NextRolloutRevisionAsync(events)));
        Assert.Equal(("rollout-rollback", 0m), Candidate(await NextRolloutRevisionAsync(events)));

        // Each weight held at least the interval, by the rollout's clock (its events: a revision's own time adds the write's latency).
        var rollout = await admin.WaitForPhaseAsync("RolledBack", Patience);
        var walk = rollout.GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("message").GetString()!.StartsWith("rollback step", StringComparison.Ordinal) || e.GetProperty("message").GetString()!.StartsWith("rolled back", StringComparison.Ordinal))
            .Select(e => (At: e.GetProperty("at").GetDateTimeOffset(), Message: e.GetProperty("message").GetString()!)).ToArray();
        Assert.Equal(3, walk.Length);
        Assert.StartsWith("rollback step 1 of 3: canary at 50%", walk[0].Message, StringComparison.Ordinal);
        Assert.StartsWith("rollback step 2 of 3: canary at 20%", walk[1].Message, StringComparison.Ordinal);
        Assert.EndsWith("walked down through 50%, 20%, 0%", walk[2].Message, StringComparison.Ordinal);
        Assert.True(walk[1].At - walk[0].At >= WalkInterval, $"20% came {walk[1].At - walk[0].At} after 50%");
        Assert.True(walk[2].At - walk[1].At >= WalkInterval, $"0% came {walk[2].At - walk[1].At} after 20%");
        var afterWalk = Stopwatch.GetTimestamp();
        await Eventually.TrueAsync(() => load.ServedSince(afterWalk).Values.Sum() > 100, "the load stalled after the rollback");
        Assert.Equal(["blue"], load.ServedSince(afterWalk).Keys);
    }

    [Fact]
    public async Task An_operators_rollback_of_the_route_during_the_walk_is_instant_and_stops_it()
    {
        await using var scene = await WalkingCanary.StartAsync();
        var admin = scene.Admin;

        using var rollback = await admin.PostAsync("api/routes/shop/rollback", new { reason = "now, please" });
        rollback.EnsureSuccessStatusCode();
        Assert.Equal("blue=100, canary=0", (await rollback.ReadJsonAsync()).Weights());

        var rollout = await admin.WaitForPhaseAsync("Aborted", Patience);
        Assert.Contains(
            "rollback by ops (api), \"now, please\"; it stopped the gradual rollback",
            rollout.GetProperty("events").EnumerateArray().Last().GetProperty("message").GetString(),
            StringComparison.Ordinal);
        var history = await admin.GetHistoryAsync();
        Assert.Equal(("rollback", "ops"), (history[0].GetProperty("action").GetString(), history[0].GetProperty("actor").GetString()));
        Assert.Equal(["rollout-step", "rollout-rollback-step"], history.Skip(1).TakeWhile(h => h.GetProperty("source").GetString() == "rollout").Select(h => h.GetProperty("action").GetString()).Reverse());
    }

    /// <summary>A canary failing 30% of its requests under steady load, its rollout started and walking: at 50%, seen on the event stream.</summary>
    private sealed class WalkingCanary(TestEnvironment env, SteadyLoad load, EventStreamReader events) : IAsyncDisposable
    {
        public HttpClient Admin { get; } = env.CreateAdminClient();

        public SteadyLoad Load => load;

        public EventStreamReader Events => events;

        /// <summary>When the 50% revision had been seen (a <see cref="Stopwatch"/> timestamp).</summary>
        public long AtFifty { get; private set; }

        public static async Task<WalkingCanary> StartAsync()
        {
            var env = await TestEnvironment.StartAsync(["blue", "canary"], Rollouts.RouteWithoutBreaker(new() { ["blue"] = 100, ["canary"] = 0 }));
            env.Upstream("canary").Faults.ErrorRate = 0.3;
            var load = new SteadyLoad(env.CreateClient(cookies: false), Rollouts.ServedBy);
            await load.WarmAsync();
            var scene = new WalkingCanary(env, load, await EventStreamReader.OpenAsync(env.AdminAddress, TestEnvironment.ViewerKey, "?route=shop&kinds=split"));
            try
            {
                await scene.Admin.StartRolloutAsync(Plan);
                Assert.Equal(("rollout-step", 80m), Candidate(await NextRolloutRevisionAsync(scene.Events)));
                Assert.Equal(("rollout-rollback-step", 50m), Candidate(await NextRolloutRevisionAsync(scene.Events)));
                scene.AtFifty = Stopwatch.GetTimestamp();
                return scene;
            }
            catch
            {
                await scene.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            Admin.Dispose();
            await events.DisposeAsync();
            await load.DisposeAsync();
            await env.DisposeAsync();
        }
    }

    private static async Task<JsonElement> NextRolloutRevisionAsync(EventStreamReader events) =>
        (await events.NextOfKindAsync(ProxyEventKinds.Split, s => s.GetProperty("source").GetString() == "rollout", Patience)).Data;

    private static (string? Action, decimal Weight) Candidate(JsonElement split) =>
        (split.GetProperty("action").GetString(), split.GetProperty("after").GetProperty("weights").GetProperty("canary").GetDecimal());
}
