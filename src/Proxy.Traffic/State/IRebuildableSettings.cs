namespace Proxy.Traffic.State;

/// <summary>
/// A shared repository of runtime settings (mirrors, isolations) that can come back empty — a Redis restarted without
/// persistence — and be written back by the instances that still hold the settings.
/// </summary>
public interface IRebuildableSettings<in TSetting>
{
    /// <summary>
    /// Writes <paramref name="settings"/> back as every setting, and announces it, only when the repository holds none
    /// (compare-and-set: another instance may have been first). The audit trail is not rebuilt. Returns false, writing
    /// nothing, when it already holds settings.
    /// </summary>
    Task<bool> RebuildAsync(IReadOnlyList<TSetting> settings, CancellationToken cancellationToken);
}
