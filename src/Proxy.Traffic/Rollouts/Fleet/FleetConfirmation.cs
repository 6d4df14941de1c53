using System.Globalization;

namespace Proxy.Traffic.Rollouts.Fleet;

/// <summary>
/// A step whose revision is not yet known to be in force on every live gateway instance: its analysis window has not
/// started. "waiting for 2/3 instances at revision 12: gw-c at revision 11".
/// </summary>
/// <param name="Revision">The step's split revision.</param>
/// <param name="Since">When the wait began (the step was written, or an operator resumed it); the timeout counts from here.</param>
/// <param name="Confirmed">Live instances that report the revision (or a later one) in force.</param>
/// <param name="Live">Live instances: those whose report has not expired, this one included.</param>
/// <param name="Missing">The live instances that do not, each with the revision it reports.</param>
public sealed record FleetConfirmation(long Revision, DateTimeOffset Since, int Confirmed, int Live, IReadOnlyList<LaggingInstance> Missing)
{
    /// <summary>A wait that has not read the fleet's reports yet.</summary>
    public static FleetConfirmation Start(long revision, DateTimeOffset since) => new(revision, since, 0, 0, []);

    /// <summary>"waiting for 1/2 instances at revision 12: gw-b at revision 11 (stale)".</summary>
    public string Describe() => Live == 0
        ? string.Create(CultureInfo.InvariantCulture, $"waiting for the fleet's reports of revision {Revision}")
        : string.Create(CultureInfo.InvariantCulture, $"waiting for {Confirmed}/{Live} instances at revision {Revision}: {string.Join(", ", Missing.Select(m => m.Describe()))}");

    /// <summary>True when the same instances are missing as in <paramref name="other"/> (their revisions aside).</summary>
    public bool SameMissing(FleetConfirmation other) =>
        Confirmed == other.Confirmed && Live == other.Live && Missing.Select(m => m.Instance).SequenceEqual(other.Missing.Select(m => m.Instance), StringComparer.Ordinal);
}

/// <summary>A live instance that does not have a step's revision in force yet.</summary>
/// <param name="Instance">Its name in the fleet.</param>
/// <param name="Revision">The revision of the route it reports (0: it has no split for the route).</param>
/// <param name="Stale">True when it reports that its settings may lag behind the shared state (it cannot sync).</param>
public sealed record LaggingInstance(string Instance, long Revision, bool Stale)
{
    /// <summary>"gw-b at revision 11 (stale)".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"{Instance} at revision {Revision}{(Stale ? " (stale)" : "")}");
}
