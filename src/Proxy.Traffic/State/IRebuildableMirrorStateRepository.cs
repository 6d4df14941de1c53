namespace Proxy.Traffic.State;

/// <summary>A shared mirror repository that can come back empty (a Redis restarted without persistence) and be written back.</summary>
public interface IRebuildableMirrorStateRepository
{
    /// <summary>
    /// Writes <paramref name="settings"/> back as every runtime mirror setting, and announces it, only when the repository
    /// holds none (compare-and-set: another instance may have been first). The audit trail is not rebuilt.
    /// Returns false, writing nothing, when it already holds settings.
    /// </summary>
    Task<bool> RebuildAsync(IReadOnlyList<MirrorOverride> settings, CancellationToken cancellationToken);
}
