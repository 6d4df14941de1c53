using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Proxy.ChaosDriver;

/// <summary>
/// What is checked through the admin API once a phase's traffic has stopped: every acknowledged change still in force
/// (the latest) and in the audit trail (all), breakers closed, the configuration's edits in force.
/// </summary>
internal sealed class PhaseChecks(AdminClient admin, PhaseOptions options) : IDisposable
{
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(15);
    private readonly SemaphoreSlim _lostFile = new(1, 1);

    /// <summary>Acknowledged changes no longer in force or in the audit trail.</summary>
    public ConcurrentQueue<string> Lost { get; } = new();

    /// <summary>Acknowledged changes whose audit entries went with Redis's data (documented: only the split is rebuilt).</summary>
    public int HistoryWiped { get; private set; }

    /// <summary>Other checks that failed: breakers, overrides.</summary>
    public List<string> Failed { get; } = [];

    public async Task RunAsync(IReadOnlyList<AcknowledgedChange> ledger, FaultEvents events)
    {
        if (options.ExpectClosedBreakers)
        {
            await CheckBreakersAsync();
        }

        if (ledger.Count > 0)
        {
            await CheckInForceAsync(ledger[^1], s_settle);
            await CheckHistoryAsync(ledger, await StoreWipedAtAsync(events));
        }

        foreach (var (value, cluster, proxy) in options.ExpectedOverrides)
        {
            await CheckOverrideAsync(value, cluster, proxy);
        }
    }

    // At once, not polled: a breaker the flood opened closes again by itself after its break duration.
    private async Task CheckBreakersAsync()
    {
        foreach (var each in options.Admins)
        {
            var answer = await admin.GetAsync(each, $"/api/routes/{options.Route}");
            if (answer.Body?["clusters"] is not JsonArray clusters)
            {
                Failed.Add($"breakers unreadable on {each.Authority}: {answer.Kind}");
                continue;
            }

            foreach (var cluster in clusters)
            {
                var state = cluster?["breaker"]?.GetValue<string>();
                if (state != "Closed")
                {
                    Failed.Add($"breaker {cluster?["cluster"]} {state} on {each.Authority}");
                }
            }
        }
    }

    /// <summary>Records a loss for each instance on which <paramref name="last"/> is not in force within <paramref name="within"/>.</summary>
    public Task CheckInForceAsync(AcknowledgedChange last, TimeSpan within) =>
        Task.WhenAll(options.Admins.Select(async each =>
        {
            var seen = "nothing";
            if (!await PollAsync(async () =>
                {
                    var answer = await admin.GetAsync(each, $"/api/routes/{options.Route}");
                    var split = RouteSplit.From(answer.Body);
                    seen = split?.ToString() ?? answer.Kind;
                    return answer.Succeeded && split is not null && split.SameAs(last.Split);
                }, within))
            {
                await LoseAsync($"in force {last.Revision} {each}", $"revision {last.Revision} ({last.Action}, {last.Phase}) not in force on {each.Authority}: {(seen.Contains('[', StringComparison.Ordinal) ? seen : $"route answered {seen}")} instead of {last.Split}");
            }
        }));

    // Audit entries written before Redis came back empty are gone for good: remembered for the later phases too.
    private async Task<long?> StoreWipedAtAsync(FaultEvents events)
    {
        var file = options.Ledger + ".wiped";
        if (events.StoreWipedAtMs is { } wiped)
        {
            await File.WriteAllTextAsync(file, wiped.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return wiped;
        }

        return File.Exists(file) ? long.Parse(await File.ReadAllTextAsync(file), System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    private async Task CheckHistoryAsync(IReadOnlyList<AcknowledgedChange> ledger, long? storeWipedAtMs)
    {
        JsonArray? history = null;
        var seen = "nothing";
        await PollAsync(async () =>
        {
            var answer = await admin.GetAsync(options.Admins[0], $"/api/routes/{options.Route}/history?limit=1000");
            history = answer.Body as JsonArray;
            seen = answer.Kind;
            return history is not null;
        }, s_settle);
        if (history is null)
        {
            Lost.Enqueue($"history unreadable on {options.Admins[0].Authority}: {seen}");
            return;
        }

        var byRevision = history.Where(e => e?["revision"] is not null).GroupBy(e => e!["revision"]!.GetValue<long>()).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var change in ledger)
        {
            var entries = byRevision.GetValueOrDefault(change.Revision) ?? [];
            if (entries.Any(e => RouteSplit.From(e?["after"]) is { } after && after.SameAs(change.Split)))
            {
                continue;
            }

            if (storeWipedAtMs is { } wiped && change.AtMs < wiped)
            {
                HistoryWiped++;
                continue;
            }

            await LoseAsync($"history {change.Revision} {change.AtMs}", entries.Count == 0
                ? $"revision {change.Revision} ({change.Action}, {change.Phase}) missing from history"
                : $"revision {change.Revision} ({change.Action}, {change.Phase}) in history with another split");
        }
    }

    // A loss is counted once, by the check (and the phase) that finds it first, not again by every later one.
    private async Task LoseAsync(string key, string description)
    {
        var file = options.Ledger + ".lost";
        await _lostFile.WaitAsync();
        try
        {
            if (File.Exists(file) && File.ReadAllLines(file).Contains(key, StringComparer.Ordinal))
            {
                return;
            }

            await File.AppendAllTextAsync(file, key + "\n");
            Lost.Enqueue(description);
        }
        finally
        {
            _lostFile.Release();
        }
    }

    private async Task CheckOverrideAsync(string value, string cluster, Uri proxy)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(5) };
        var seen = "nothing";
        if (!await PollAsync(async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(proxy, "/chaos/override"));
                request.Headers.Add("X-Variant", value);
                try
                {
                    using var response = await http.SendAsync(request);
                    var served = response.Headers.TryGetValues("X-Proxy-Cluster", out var v) ? v.FirstOrDefault() : null;
                    seen = $"{(int)response.StatusCode} from {served ?? "?"}";
                    return response.IsSuccessStatusCode && served == cluster;
                }
                catch (HttpRequestException ex)
                {
                    seen = ex.HttpRequestError.ToString();
                    return false;
                }
            }, TimeSpan.FromSeconds(10)))
        {
            Failed.Add($"edit not in force on {proxy.Authority}: X-Variant: {value} got {seen}, not {cluster}");
        }
    }

    private static async Task<bool> PollAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            if (await condition())
            {
                return true;
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(200);
        }
    }

    public void Dispose() => _lostFile.Dispose();
}
