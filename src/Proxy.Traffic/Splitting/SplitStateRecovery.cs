using Proxy.Traffic.State;

namespace Proxy.Traffic.Splitting;

/// <summary>
/// This instance found that the shared state it had synced with was gone (a Redis that came back empty) or replaced,
/// and took the state the store holds now as a start-up would.
/// </summary>
/// <param name="Rebuilt">The routes this instance wrote back, when it was the one that rebuilt the state; empty when another
/// instance rebuilt (or recreated) it first.</param>
public sealed record SplitStateRecovery(IReadOnlyList<RouteSplitRecord> Rebuilt)
{
    /// <summary>True when this instance rebuilt the state.</summary>
    public bool RebuiltHere => Rebuilt.Count > 0;

    /// <summary>The routes written back, as operators read them in logs.</summary>
    public override string ToString() =>
        string.Join("; ", Rebuilt.Select(r => $"{r.RouteId} at revision {r.Revision}: {r.Current?.ToString() ?? "removed"}"));
}
