namespace Proxy.Traffic.State;

/// <summary>One route's new persisted state together with the audit entry that explains it; committed atomically.</summary>
/// <param name="Route">The route's state after the change; its revision is the entry's.</param>
/// <param name="Entry">The audit entry.</param>
public sealed record SplitCommit(RouteSplitRecord Route, SplitRevision Entry);
