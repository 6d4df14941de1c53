using System.Text.Json.Nodes;

namespace Proxy.ChaosDriver;

/// <summary>The operator: admin writes (and reads) during a phase; every acknowledged write goes into the ledger.</summary>
internal sealed class OperatorScript(
    AdminClient admin, IReadOnlyList<Uri> admins, string route, OperatorMode mode, ChangeLedger ledger, string phase, PhaseChecks checks, string eventsFile)
{
    private readonly List<AdminCall> _calls = [];
    private string? _lastStable;

    public IReadOnlyList<AdminCall> Calls => _calls;

    public async Task RunAsync(CancellationToken stop)
    {
        // A call is never cancelled by the end of the phase: one committed but not acknowledged would look like a lost change.
        var ct = CancellationToken.None;
        if (mode == OperatorMode.Steady)
        {
            await SteadyAsync(stop);
            return;
        }

        var interval = mode == OperatorMode.Shift ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromMilliseconds(500);
        for (var tick = 0; mode != OperatorMode.None && !stop.IsCancellationRequested; tick++)
        {
            var target = admins[tick % admins.Count];
            await (mode == OperatorMode.Shift ? SetWeightsAsync(target, ShiftingSplit(tick), ct) : CycleStepAsync(target, tick, ct));
            try
            {
                await Task.Delay(interval, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        // Later phases set weights only, so they need blue back as stable.
        if (mode == OperatorMode.Cycle && _lastStable is not null && _lastStable != Topology.Blue)
        {
            await WriteAsync(admins[0], "promote", $"/api/routes/{route}/promote", new JsonObject { ["cluster"] = Topology.Blue, ["reason"] = "chaos: back to blue" }, CancellationToken.None);
        }
    }

    private async Task SteadyAsync(CancellationToken stop)
    {
        var writes = 0;
        await SetWeightsAsync(admins[0], SteadySplit(), CancellationToken.None);
        var nextRead = DateTime.UtcNow;
        while (!stop.IsCancellationRequested)
        {
            if (new FaultEvents(eventsFile).WriteRequests > writes)
            {
                writes++;
                if (ledger.ReadAll() is [.., var last])
                {
                    await checks.CheckInForceAsync(last, TimeSpan.FromSeconds(5));
                }

                await SetWeightsAsync(admins[writes % admins.Count], SteadySplit(), CancellationToken.None);
            }

            if (DateTime.UtcNow >= nextRead)
            {
                nextRead = DateTime.UtcNow.AddSeconds(1);
                foreach (var each in admins)
                {
                    await CallAsync("read", () => admin.GetAsync(each, $"/api/routes/{route}", CancellationToken.None));
                }
            }

            try
            {
                await Task.Delay(200, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    // Never the file's 90/10, so that a change replaced by the file's split shows; never the split in force, so that each
    // write makes a revision of its own (the API answers a change to the same split with the revision in force).
    private JsonObject SteadySplit() =>
        ledger.ReadAll() is [.., var last] && last.Weights.GetValueOrDefault(Topology.Blue) == 50 ? Split(60, 40, 0) : Split(50, 50, 0);

    private Task CycleStepAsync(Uri target, int tick, CancellationToken ct) => (tick % 7) switch
    {
        0 => SetWeightsAsync(target, Split(50, 50, 0), ct),
        1 => WriteAsync(target, "rollback", $"/api/routes/{route}/rollback", new JsonObject { ["reason"] = "chaos: rollback" }, ct),
        2 => WriteAsync(target, "undo", $"/api/routes/{route}/undo", new JsonObject { ["reason"] = "chaos: undo rollback" }, ct),
        3 => WriteAsync(target, "promote", $"/api/routes/{route}/promote", new JsonObject { ["cluster"] = Topology.Green, ["reason"] = "chaos: blue/green switch" }, ct),
        4 => WriteAsync(target, "promote", $"/api/routes/{route}/promote", new JsonObject { ["cluster"] = Topology.Blue, ["reason"] = "chaos: switch back" }, ct),
        5 => SetWeightsAsync(target, Split(70, 20, 10), ct),
        _ => WriteAsync(target, "undo", $"/api/routes/{route}/undo", new JsonObject { ["reason"] = "chaos: undo" }, ct),
    };

    private Task SetWeightsAsync(Uri target, JsonObject weights, CancellationToken ct) =>
        WriteAsync(target, "set-weights", $"/api/routes/{route}/weights", new JsonObject { ["weights"] = weights, ["reason"] = $"chaos {phase}" }, ct, HttpMethod.Put);

    private async Task WriteAsync(Uri target, string action, string path, JsonObject body, CancellationToken ct, HttpMethod? method = null)
    {
        var answer = await CallAsync(action, () => admin.SendAsync(method ?? HttpMethod.Post, target, path, body, ct));
        if (answer.Succeeded && answer.Body is { } routeBody && RouteSplit.From(routeBody) is { } split
            && routeBody["revision"]?.GetValue<long>() is { } revision)
        {
            _lastStable = split.Stable;
            ledger.Add(new AcknowledgedChange(phase, target.ToString(), action, revision, split.Stable, split.Weights.ToDictionary(), Epoch.NowMs()));
        }
    }

    private async Task<AdminClient.Answer> CallAsync(string action, Func<Task<AdminClient.Answer>> call)
    {
        var answer = await call();
        _calls.Add(new AdminCall(Epoch.NowMs(), action, answer));
        return answer;
    }

    private static JsonObject Split(int blue, int canary, int green) =>
        new() { [Topology.Blue] = blue, [Topology.Canary] = canary, [Topology.Green] = green };

    // Blue moves by 5 points each time (10..95), so no two successive splits are the same.
    private static JsonObject ShiftingSplit(int tick)
    {
        var blue = 10 + (5 * (tick % 18));
        var canary = 5 * Random.Shared.Next(0, ((100 - blue) / 5) + 1);
        return Split(blue, canary, 100 - blue - canary);
    }
}
