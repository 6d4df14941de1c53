namespace Proxy.Traffic.Experiments;

/// <summary>
/// An experiment's runtime state from the admin API: stopped (and maybe promoted) by whom, when and why. An experiment
/// without one is running. Tied to the declaration's <see cref="Fingerprint"/>: a changed declaration runs afresh.
/// </summary>
/// <param name="RouteId">The route.</param>
/// <param name="Name">The experiment.</param>
/// <param name="Fingerprint">The declaration it applies to.</param>
/// <param name="State"><see cref="Stopped"/> or <see cref="Promoted"/>.</param>
/// <param name="At">When.</param>
/// <param name="Actor">The API key's name.</param>
/// <param name="Arm">The arm promoted, if any.</param>
/// <param name="Reason">Why.</param>
/// <param name="Allocation">Each arm's share of the assignment when it ended (the report keeps judging the ratio against it).</param>
public sealed record ExperimentStatus(string RouteId, string Name, string Fingerprint, string State, DateTimeOffset At, string Actor, string? Arm, string? Reason, IReadOnlyList<double>? Allocation = null)
{
    /// <summary>Counting goes on.</summary>
    public const string Running = "running";

    /// <summary>Stopped: no more counting; the counts so far stay readable.</summary>
    public const string Stopped = "stopped";

    /// <summary>Stopped, and an arm made to take all traffic.</summary>
    public const string Promoted = "promoted";

    /// <summary>The id runtime state is stored under.</summary>
    public string Id => $"{RouteId}/{Name}";
}
