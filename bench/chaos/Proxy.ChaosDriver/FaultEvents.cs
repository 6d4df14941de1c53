using System.Globalization;

namespace Proxy.ChaosDriver;

/// <summary>
/// The faults the script injected during a phase, read from its events file (<c>EPOCH_MS KIND [SUBJECT]</c> per line):
/// <c>kill CLUSTER</c> / <c>up CLUSTER</c> around an upstream's <c>kill -9</c> and restart, <c>redis-down</c>,
/// <c>redis-up</c>, <c>redis-wiped</c>, <c>write</c> (the operator is to check the last change and make one now), and
/// informational lines (<c>config-…</c>).
/// </summary>
internal sealed class FaultEvents
{
    /// <summary>How long after its <c>kill</c> line the script may take to send the signal.</summary>
    private const long KillSlackMs = 50;

    private readonly List<(long AtMs, string Kind, string? Subject)> _events = [];

    public FaultEvents(string file)
    {
        if (!File.Exists(file))
        {
            return;
        }

        foreach (var line in File.ReadAllLines(file))
        {
            var parts = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var at))
            {
                _events.Add((at, parts[1], parts.Length > 2 ? parts[2] : null));
            }
        }
    }

    /// <summary>The upstreams killed in this phase, and when.</summary>
    public IEnumerable<(string Cluster, long AtMs)> Kills => _events.Where(e => e.Kind == "kill").Select(e => (e.Subject ?? "", e.AtMs));

    /// <summary>How many times the script asked the operator for a change (<c>write</c> lines) so far.</summary>
    public int WriteRequests => _events.Count(e => e.Kind == "write");

    /// <summary>When Redis first went down in this phase, or null.</summary>
    public long? StoreDownSinceMs => _events.Where(e => e.Kind == "redis-down").Select(e => (long?)e.AtMs).FirstOrDefault();

    /// <summary>When Redis came back without its data in this phase, or null.</summary>
    public long? StoreWipedAtMs => _events.Where(e => e.Kind == "redis-wiped").Select(e => (long?)e.AtMs).FirstOrDefault();

    /// <summary>
    /// True for the one kind of failure a fault excuses: a POST (not idempotent, so the gateway must not send it twice)
    /// that was in flight on an upstream when it was killed, answered 502 or not at all. A POST sent to the upstream after
    /// its death is not excused: nothing had reached it, so the gateway could have sent it elsewhere.
    /// </summary>
    public bool Excuses(RequestOutcome outcome) =>
        outcome.Post && outcome.Status is 0 or 502
        && Kills.Any(k => (outcome.Cluster is null || outcome.Cluster == k.Cluster) && outcome.StartMs <= k.AtMs + KillSlackMs && outcome.EndMs >= k.AtMs);
}
