namespace Proxy.ChaosDriver;

/// <summary>
/// One fault phase: users and the operator run while the script injects the fault; when the script writes the stop
/// file (or the time limit passes) the traffic stops, the checks run, and the phase is reported.
/// </summary>
internal static class Phase
{
    public static async Task<int> RunAsync(PhaseOptions options)
    {
        using var admin = new AdminClient(options.Key);
        var ledger = new ChangeLedger(options.Ledger);
        using var stop = new CancellationTokenSource();
        var users = new UserTraffic(options.Proxies, options.Clients, options.RatePerClient);
        using var checks = new PhaseChecks(admin, options);
        var operatorScript = new OperatorScript(admin, options.Admins, options.Route, options.Operator, ledger, options.Name, checks, options.EventsFile);
        var usersRun = users.RunAsync(stop.Token);
        var operatorRun = operatorScript.RunAsync(stop.Token);

        // Warm-up: connections open and the operator's first change acknowledged before the fault starts.
        var deadline = DateTime.UtcNow + options.MaxDuration;
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await File.WriteAllTextAsync(options.ReadyFile, "");

        IReadOnlyDictionary<string, int> flood = new Dictionary<string, int>();
        var floodTime = TimeSpan.Zero;
        if (options.FloodCount > 0)
        {
            using var floodLimit = new CancellationTokenSource(options.FloodDuration);
            var started = DateTime.UtcNow;
            flood = await MethodFlood.RunAsync(options.Proxies[0], options.FloodCount, floodLimit.Token);
            floodTime = DateTime.UtcNow - started;
            await File.WriteAllTextAsync(options.FloodDoneFile, "");
        }

        var timedOut = false;
        while (!File.Exists(options.StopFile))
        {
            if (DateTime.UtcNow > deadline)
            {
                timedOut = true;
                break;
            }

            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await Task.WhenAll(usersRun, operatorRun);

        var events = new FaultEvents(options.EventsFile);
        await checks.RunAsync(ledger.ReadAll(), events);

        var report = PhaseReport.From(options.Name, users.Outcomes.ToList(), operatorScript.Calls, (flood, floodTime), checks, events, timedOut);
        Console.WriteLine(report.Text);
        if (options.Results is { } results)
        {
            await File.AppendAllTextAsync(results, report.TsvRow + "\n");
        }

        return report.Clean ? 0 : 1;
    }
}
