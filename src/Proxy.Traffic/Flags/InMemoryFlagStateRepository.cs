using Proxy.Traffic.State;

namespace Proxy.Traffic.Flags;

/// <summary>Keeps flags' runtime settings in process memory: nothing survives a restart.</summary>
public sealed class InMemoryFlagStateRepository : IFlagStateRepository
{
    private readonly InMemoryAuditedSettings<FlagOverride, FlagChange> _flags = new(c => c.Name);

    public Task<IReadOnlyList<FlagOverride>> LoadAsync(CancellationToken cancellationToken) => _flags.LoadAsync();

    public Task SaveAsync(FlagOverride setting, FlagChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return _flags.SetAsync(setting.Name, setting, change);
    }

    public Task ClearAsync(string name, FlagChange change, CancellationToken cancellationToken) => _flags.RemoveAsync(name, change);

    public Task<IReadOnlyList<FlagChange>> GetHistoryAsync(string name, int limit, CancellationToken cancellationToken) => _flags.GetHistoryAsync(name, limit);
}
