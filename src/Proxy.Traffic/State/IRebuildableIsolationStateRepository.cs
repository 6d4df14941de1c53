namespace Proxy.Traffic.State;

/// <summary>A shared isolation repository that can come back empty (a Redis restarted without persistence) and be written back.</summary>
public interface IRebuildableIsolationStateRepository
{
    /// <summary>
    /// Writes <paramref name="isolations"/> back as every manual isolation, and announces it, only when the repository holds
    /// none (compare-and-set: another instance may have been first). The audit trail is not rebuilt.
    /// Returns false, writing nothing, when it already holds isolations.
    /// </summary>
    Task<bool> RebuildAsync(IReadOnlyList<ManualIsolation> isolations, CancellationToken cancellationToken);
}
