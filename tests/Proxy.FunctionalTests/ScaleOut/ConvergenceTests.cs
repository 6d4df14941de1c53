using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.Tests.State.Redis;
using Xunit.Abstractions;

namespace Proxy.FunctionalTests.ScaleOut;

/// <summary>Three gateways on one Redis: a change made on one is in force on all, and racing If-Match writes never both win.</summary>
public sealed class ConvergenceTests(RedisServer redis, ITestOutputHelper output) : IClassFixture<RedisServer>
{
    private const int Changes = 50;

    [Fact]
    public async Task A_weight_change_on_one_instance_is_in_force_on_the_others()
    {
        // A re-read interval longer than the test: only the notifications can make the others converge.
        await using var fleet = await GatewayFleet.StartAsync(redis, 3, resyncInterval: TimeSpan.FromMinutes(5));
        var (a, others) = (fleet.Instances[0], fleet.Instances.Skip(1).ToArray());
        using var admin = a.CreateAdminClient();
        var samples = new List<double>();

        // Change 0 warms up (JIT, the script's first EVAL) and is not counted.
        for (var i = 0; i <= Changes; i++)
        {
            var canary = i == Changes ? 100 : i + 1;
            var target = a.Revision("shop") + 1;
            var applied = others.Select(o => InForce(o, target)).ToArray();
            var started = Stopwatch.GetTimestamp();

            using var response = await admin.PutWeightsAsync(new { blue = 100 - canary, canary });
            response.EnsureSuccessStatusCode();
            long[] elapsed;
            try
            {
                elapsed = await Task.WhenAll(applied.Select(t => t.Task)).WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (TimeoutException)
            {
                Assert.Fail($"change {i} (revision {target}) not in force everywhere after 5 s: revisions "
                    + string.Join(", ", fleet.Instances.Select(x => x.Revision("shop"))));
                throw;
            }


            var converged = Math.Max(Stopwatch.GetElapsedTime(started).TotalMilliseconds, elapsed.Max(e => (e - started) * 1000.0 / Stopwatch.Frequency));
            if (i > 0)
            {
                samples.Add(converged);
            }
        }

        samples.Sort();
        output.WriteLine($"Convergence on 3 instances over {Changes} changes (PUT sent on A → in force on A, B and C; notifications only): "
            + $"p50 {Percentile(samples, 0.50):F1} ms, p99 {Percentile(samples, 0.99):F1} ms, max {samples[^1]:F1} ms");

        // Requests through B and C show the last change: all canary.
        foreach (var other in others)
        {
            using var client = other.CreateClient();
            var served = await Load.RunAsync(client, requests: 50, parallelism: 4);
            Assert.Equal(new Dictionary<string, int> { ["canary"] = 50 }, served);
            using var otherAdmin = other.CreateAdminClient();
            var (route, etag) = await otherAdmin.GetRouteAsync();
            Assert.Equal(a.Revision("shop").ToString(System.Globalization.CultureInfo.InvariantCulture), etag.Trim('"'));
            Assert.False(route.GetProperty("sync").GetProperty("stale").GetBoolean());
        }

        // The fleet view on any instance: "3/3 at revision N", with each instance's breakers.
        using var adminC = others[^1].CreateAdminClient();
        var expected = $"{a.Revision("shop")} 3/3";
        await Eventually.TrueAsync(async () => Summary(await adminC.GetFromJsonAsync<JsonElement>("api/fleet")) == expected, $"the fleet view did not show {expected}");
        var fleetView = await adminC.GetFromJsonAsync<JsonElement>("api/fleet");
        Assert.Equal(["gw-a", "gw-b", "gw-c"], fleetView.GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("instance").GetString()));
        Assert.All(fleetView.GetProperty("instances").EnumerateArray(), i => Assert.Equal("Closed", i.GetProperty("breakers").GetProperty("canary").GetString()));
    }

    [Fact]
    public async Task Concurrent_if_match_writes_on_two_instances_let_exactly_one_win()
    {
        await using var fleet = await GatewayFleet.StartAsync(redis, 2, resyncInterval: TimeSpan.FromSeconds(1));
        using var adminA = fleet.Instances[0].CreateAdminClient();
        using var adminB = fleet.Instances[1].CreateAdminClient();
        var historyBefore = (await adminA.GetHistoryAsync()).Length;
        const int Rounds = 5;

        for (var round = 1; round <= Rounds; round++)
        {
            var (_, etag) = await adminA.GetRouteAsync();
            await Eventually.TrueAsync(() => fleet.Instances[1].Revision("shop") == fleet.Instances[0].Revision("shop"), "B did not catch up with A");
            using var start = new SemaphoreSlim(0);
            var puts = new[] { adminA, adminB }.Select((admin, i) => Task.Run(async () =>
            {
                await start.WaitAsync();
                // Weights that differ from every earlier round's, so that neither PUT is a no-op.
                using var response = await admin.PutWeightsAsync(new { blue = 80 - (round * 2) - i, canary = 20 + (round * 2) + i }, etag);
                return response.StatusCode;
            })).ToArray();
            start.Release(puts.Length);
            var statuses = await Task.WhenAll(puts);

            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.PreconditionFailed], statuses.Order());
        }

        Assert.Equal(historyBefore + Rounds, (await adminB.GetHistoryAsync()).Length);
    }

    private static TaskCompletionSource<long> InForce(TestEnvironment instance, long revision)
    {
        var applied = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(Traffic.Splitting.SplitChange change)
        {
            if (change.Current?.Revision >= revision)
            {
                applied.TrySetResult(Stopwatch.GetTimestamp());
                instance.Splits.Changed -= OnChanged;
            }
        }

        instance.Splits.Changed += OnChanged;
        return applied;
    }

    private static string Summary(JsonElement fleet)
    {
        var shop = fleet.GetProperty("routes").GetProperty("shop");
        return $"{shop.GetProperty("revision")} {shop.GetProperty("inForce")}/{shop.GetProperty("instances")}";
    }

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Ceiling(p * sorted.Count) - 1];
}
