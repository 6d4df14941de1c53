namespace Proxy.Traffic.State;

/// <summary>
/// A shared state repository that can come back empty (a Redis restarted without persistence). Its state carries a
/// generation marker, written with the first commit and with every rebuild, so an instance that held the state can tell
/// it was lost, or replaced, and the fleet can put back the splits it has in force.
/// </summary>
public interface IRebuildableSplitStateRepository
{
    /// <summary>Every route's persisted state and, read with it in one step, the generation of that state (null when there is none).</summary>
    Task<PersistedSplitState> LoadGenerationAsync(CancellationToken cancellationToken);

    /// <summary>The generation of the state the repository holds, or null when it holds none.</summary>
    Task<string?> GetGenerationAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="routes"/> back as the whole state, under a new generation, and announces it — only when the
    /// repository holds no generation (compare-and-set: of several instances finding the state gone, one rebuilds it).
    /// The audit trail is not rebuilt. Returns false, writing nothing, when another instance was first.
    /// </summary>
    Task<bool> RebuildAsync(IReadOnlyList<RouteSplitRecord> routes, CancellationToken cancellationToken);
}

/// <summary>The persisted state of every route and the generation it belongs to.</summary>
/// <param name="Generation">Identifies the state the repository holds; null when it holds none (never written, or lost).</param>
/// <param name="Routes">Every route's persisted state.</param>
public sealed record PersistedSplitState(string? Generation, IReadOnlyList<RouteSplitRecord> Routes);
