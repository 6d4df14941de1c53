using System.Runtime.InteropServices;
using System.Text.Json;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.FunctionalTests.Rollouts;
using Proxy.Traffic.Tests.State.Redis;
using Xunit.Abstractions;

namespace Proxy.FunctionalTests.ScaleOut;

/// <summary>
/// Fleet-confirmed steps on a real Redis: an in-process gateway leads the rollout, a second gateway (a real process) is
/// frozen with SIGSTOP, as a stalled host would be, so its report stays live at the old revision. The step waits for it,
/// unjudged, and goes on once it is thawed and has synced; past the plan's fleetTimeout the rollout pauses instead.
/// </summary>
public sealed class FleetConfirmedStepTests(RedisServer redis, ITestOutputHelper output) : IClassFixture<RedisServer>, IDisposable
{
    // Long next to the freeze: an instance report is kept three resync intervals, so the frozen instance stays live.
    private static readonly TimeSpan Resync = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private readonly string _directory = Directory.CreateTempSubdirectory("proxy-fleet-step-").FullName;

    private static object Plan(string? fleetTimeout = null) => new
    {
        candidate = "canary",
        steps = new object[] { new { weight = 50, pause = "00:00:01" }, new { weight = 100 } },
        analysis = new { interval = Interval.ToString("c"), minRequests = 5, maxErrorRate = 0.05, failureLimit = 3, inconclusiveTimeout = "00:01:00", fleetTimeout },
    };

    [Fact]
    public async Task A_step_waits_unjudged_for_an_instance_that_has_not_applied_it_and_goes_on_once_it_has()
    {
        await using var fleet = await GatewayFleet.StartAsync(redis, 1, Resync);
        await using var lagging = await StartSecondAsync(fleet);
        using var admin = fleet.Instances[0].CreateAdminClient();
        using var traffic = new BackgroundTraffic(fleet.Instances[0]);

        long revision;
        using (Freeze(lagging))
        {
            revision = (await admin.StartRolloutAsync(Plan())).GetProperty("fleetConfirmation").GetProperty("revision").GetInt64();
            var waiting = await Eventually.ValueAsync(
                async () => await admin.GetRolloutAsync() is var r && r.GetProperty("fleetConfirmation") is { ValueKind: JsonValueKind.Object } f && f.GetProperty("live").GetInt32() == 2 ? r : (JsonElement?)null,
                "the rollout did not show the fleet's reports");
            var expected = $"waiting for 1/2 instances at revision {revision}: gw-b at revision {revision - 1}";
            Assert.Equal(
                (1, """[{"instance":"gw-b","revision":""" + (revision - 1) + ""","stale":false}]"""),
                (waiting.GetProperty("fleetConfirmation").GetProperty("confirmed").GetInt32(), waiting.GetProperty("fleetConfirmation").GetProperty("missing").GetRawText()));
            Assert.StartsWith(expected, waiting.GetProperty("nextAction").GetString(), StringComparison.Ordinal);
            Assert.Contains($"step 1: {expected}", Messages(waiting));

            // Four analysis intervals with traffic: none of them is judged while gw-b has the previous split in force.
            await Task.Delay(4 * Interval);
            var stillWaiting = await admin.GetRolloutAsync();
            Assert.Equal((0, "Progressing"), (stillWaiting.GetProperty("verdicts").GetArrayLength(), stillWaiting.GetProperty("phase").GetString()));
            Assert.Equal(JsonValueKind.Object, stillWaiting.GetProperty("fleetConfirmation").ValueKind);
        }

        var done = await admin.WaitForPhaseAsync("Succeeded", TimeSpan.FromSeconds(60));
        var confirmed = done.GetProperty("events").EnumerateArray().First(e => e.GetProperty("message").GetString()!.StartsWith($"step 1 in force on all 2 instances (revision {revision})", StringComparison.Ordinal));
        output.WriteLine(confirmed.GetProperty("message").GetString());
        var firstVerdict = done.GetProperty("verdicts").EnumerateArray().Last(); // newest first
        Assert.True(
            firstVerdict.GetProperty("at").GetDateTimeOffset() >= confirmed.GetProperty("at").GetDateTimeOffset() + Interval,
            $"the first verdict ({firstVerdict.GetProperty("at")}) came before a whole window after the confirmation ({confirmed.GetProperty("at")})");
        var (_, failed) = await traffic.StopAsync();
        Assert.Equal(0, failed);
    }

    [Fact]
    public async Task A_step_not_in_force_everywhere_by_the_fleet_timeout_pauses_naming_the_instance_and_resumes_once_it_is()
    {
        await using var fleet = await GatewayFleet.StartAsync(redis, 1, Resync);
        await using var lagging = await StartSecondAsync(fleet);
        using var admin = fleet.Instances[0].CreateAdminClient();
        using var traffic = new BackgroundTraffic(fleet.Instances[0]);

        using (Freeze(lagging))
        {
            await admin.StartRolloutAsync(Plan(fleetTimeout: "00:00:02"));
            var paused = await admin.WaitForPhaseAsync("Paused", TimeSpan.FromSeconds(30));
            Assert.Contains(Messages(paused), m => m.StartsWith("paused: step 1 is not in force on every instance after 00:00:02, waiting for 1/2 instances at revision", StringComparison.Ordinal)
                && m.Contains(": gw-b at revision", StringComparison.Ordinal));
            Assert.Equal(0, paused.GetProperty("verdicts").GetArrayLength());
        }

        // Thawed, gw-b syncs and reports: the step is confirmed while paused, and a resume goes on from there.
        await Eventually.TrueAsync(
            async () => (await admin.GetRolloutAsync()).GetProperty("fleetConfirmation").ValueKind == JsonValueKind.Null,
            "the step was not confirmed once gw-b was thawed",
            TimeSpan.FromSeconds(30));
        Assert.Equal("Paused", (await admin.GetRolloutAsync()).GetProperty("phase").GetString());
        using var resumed = await admin.PostAsync("api/routes/shop/rollouts/current/resume");
        resumed.EnsureSuccessStatusCode();
        await admin.WaitForPhaseAsync("Succeeded", TimeSpan.FromSeconds(60));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>The fleet's second instance, gw-b, as a real process; returns once the leader's fleet view has it at the route's revision.</summary>
    private async Task<GatewayProcess> StartSecondAsync(GatewayFleet fleet)
    {
        var leader = fleet.Instances[0];
        var second = await GatewayProcess.StartAsync(leader.ConfigFile, _directory, [.. fleet.Settings("gw-b").Select(s => $"--{s.Key}={s.Value}")]);
        using var admin = leader.CreateAdminClient();
        await Eventually.TrueAsync(
            async () =>
            {
                using var response = await admin.GetAsync(new Uri("api/fleet", UriKind.Relative));
                var route = (await response.ReadJsonAsync()).GetProperty("routes").GetProperty("shop");
                return route.GetProperty("instances").GetInt32() == 2 && route.GetProperty("inForce").GetInt32() == 2;
            },
            "gw-b did not report to the fleet");
        return second;
    }

    private static IEnumerable<string> Messages(JsonElement rollout) =>
        rollout.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()!);

    /// <summary>SIGSTOP until disposed (SIGCONT): the process keeps its connections and its report but does nothing.</summary>
    private static Frozen Freeze(GatewayProcess process)
    {
        Assert.True(kill(process.ProcessId, SigStop) == 0, $"SIGSTOP: errno {Marshal.GetLastPInvokeError()}");
        return new Frozen(process.ProcessId);
    }

    private const int SigStop = 19;
    private const int SigCont = 18;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private sealed class Frozen(int pid) : IDisposable
    {
        public void Dispose() => Assert.True(kill(pid, SigCont) == 0, $"SIGCONT: errno {Marshal.GetLastPInvokeError()}");
    }
}
