using System.Diagnostics;
using Proxy.DemoBackend;
using Proxy.Gateway;
using Proxy.Traffic.Splitting;
using Proxy.Traffic.State;
using Yarp.ReverseProxy;

namespace Proxy.ScaleBench;

/// <summary>
/// Runs a real gateway in this process with N split routes and measures how long a weight change takes to be in
/// force, checking that the very next request follows it and that YARP's configuration was not rebuilt.
/// </summary>
internal static class WeightChangeRun
{
    /// <summary>Runs the measurement with the state provider given (<c>Sqlite</c>, as shipped, or <c>InMemory</c>).</summary>
    public static async Task<int> RunAsync(int routes, int changes, string stateProvider, TextWriter output)
    {
        await using var blue = new DemoUpstreamServer("blue");
        await using var green = new DemoUpstreamServer("green");
        await using var canary = new DemoUpstreamServer("canary");
        await Task.WhenAll(blue.StartAsync(), green.StartAsync(), canary.StartAsync());

        var configFile = Path.Combine(Path.GetTempPath(), $"proxy-scale-{Environment.ProcessId}.json");
        var stateFile = Path.Combine(Path.GetTempPath(), $"proxy-scale-{Environment.ProcessId}.db");
        ScaleConfig.Write(configFile, routes, blue.Port, green.Port, canary.Port);
        try
        {
            var started = Stopwatch.StartNew();
            var app = GatewayApplication.Build(GatewayCommandLine.Parse([
                "--config", configFile, "--Proxy:Urls=http://127.0.0.1:0", "--Admin:Urls=http://127.0.0.1:0",
                $"--State:Provider={stateProvider}", $"--State:Sqlite:Path={stateFile}", "--Logging:LogLevel:Default=Warning"]));
            await app.StartAsync();
            await using var _ = app;
            // The proxy listener, not the admin one (both are bound on port 0 here).
            using var client = new HttpClient { BaseAddress = app.Services.GetRequiredService<GatewayListeners>().ProxyAddresses[0] };
            var routeIndex = routes / 2;
            var path = $"/r{routeIndex}/check";
            (await client.GetAsync(path)).EnsureSuccessStatusCode();
            var startup = started.Elapsed;

            var store = app.Services.GetRequiredService<SplitStore>();
            var yarp = app.Services.GetRequiredService<IProxyStateLookup>();
            var routeModelsBefore = yarp.GetRoutes().ToDictionary(r => r.Config.RouteId, r => r.Config);
            var routeId = $"r{routeIndex}";

            // The first changes compile the update path; an operator's first change pays that once, later ones do not.
            const int WarmUp = 20;
            var durations = new double[changes];
            var misrouted = 0;
            for (var i = -WarmUp; i < changes; i++)
            {
                // Alternate all traffic between canary and blue, so each change must show in the very next answer.
                var toCanary = i % 2 == 0;
                var target = toCanary ? $"{routeId}-canary" : $"{routeId}-blue";
                var timer = Stopwatch.GetTimestamp();
                var result = await store.UpdateAsync(
                    routeId,
                    new SplitEdit(SplitActions.SetWeights, "scale-bench", SplitChangeSource.Api),
                    current => SplitProposal.To(current.Definition.WithWeights(
                        [new($"{routeId}-blue", toCanary ? 0 : BasisPoints.Total), new($"{routeId}-green", 0), new($"{routeId}-canary", toCanary ? BasisPoints.Total : 0)])),
                    CancellationToken.None);
                var elapsed = Stopwatch.GetElapsedTime(timer).TotalMicroseconds;

                using var response = await client.GetAsync(path);
                var followed = result.Outcome == SplitUpdateOutcome.Applied && response.Headers.TryGetValues("X-Proxy-Cluster", out var served) && served.Single() == target;
                if (i >= 0)
                {
                    durations[i] = elapsed;
                    misrouted += followed ? 0 : 1;
                }
            }

            var rebuilt = yarp.GetRoutes().Count(r => !routeModelsBefore.TryGetValue(r.Config.RouteId, out var before) || !ReferenceEquals(before, r.Config));
            Array.Sort(durations);
            using var process = Process.GetCurrentProcess();
            output.WriteLine($"| routes × clusters, state | {routes} × 3, {stateProvider} |");
            output.WriteLine("| --- | --- |");
            output.WriteLine($"| in-process build + start + first proxied answer | {startup.TotalMilliseconds:F0} ms |");
            output.WriteLine($"| managed heap after start-up / process RSS | {GC.GetTotalMemory(forceFullCollection: true) / 1048576.0:F1} MB / {process.WorkingSet64 / 1048576.0:F0} MB (includes the 3 in-process upstreams) |");
            output.WriteLine($"| weight change (SplitStore.UpdateAsync: commit, then swap), {changes} changes after {WarmUp} untimed: median / p99 / max | {Percentile(durations, 0.5):F1} / {Percentile(durations, 0.99):F1} / {durations[^1]:F1} µs |");
            output.WriteLine($"| next request after the change on the new cluster | {changes - misrouted} of {changes} |");
            output.WriteLine($"| YARP route configs replaced by the changes | {rebuilt} of {yarp.GetRoutes().Count()} |");
            // The 1 ms bar is for the change itself; a durable commit's fsync is the disk's, so it is reported, not judged.
            var inForceInTime = stateProvider != "InMemory" || durations[^1] < 1000;
            return misrouted == 0 && rebuilt == 0 && inForceInTime ? 0 : 1;
        }
        finally
        {
            File.Delete(configFile);
            foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(stateFile) + "*"))
            {
                File.Delete(file);
            }
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
