using Proxy.Traffic.State;

namespace Proxy.Traffic.Health;

/// <summary>What a catch-up with the persisted manual isolations changed on this instance.</summary>
/// <param name="Isolated">Isolations put in force (made elsewhere, or persisted before a restart).</param>
/// <param name="Lifted">Clusters whose manual isolation was lifted because it was reset elsewhere.</param>
public sealed record IsolationSyncResult(IReadOnlyList<ManualIsolation> Isolated, IReadOnlyList<string> Lifted)
{
    /// <summary>Nothing changed.</summary>
    public static IsolationSyncResult None { get; } = new([], []);
}
