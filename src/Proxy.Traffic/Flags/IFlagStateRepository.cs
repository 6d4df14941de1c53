namespace Proxy.Traffic.Flags;

/// <summary>
/// Where flags' runtime settings and their audit trail are kept; the flag store commits here before a change is in force.
/// Implementations must be safe for concurrent use.
/// </summary>
public interface IFlagStateRepository
{
    /// <summary>Every flag's runtime setting.</summary>
    Task<IReadOnlyList<FlagOverride>> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Stores a flag's runtime setting and its audit entry together.</summary>
    Task SaveAsync(FlagOverride setting, FlagChange change, CancellationToken cancellationToken);

    /// <summary>Removes a flag's runtime setting (the file's applies again) and stores the audit entry, together.</summary>
    Task ClearAsync(string name, FlagChange change, CancellationToken cancellationToken);

    /// <summary>A flag's audit trail, newest first.</summary>
    Task<IReadOnlyList<FlagChange>> GetHistoryAsync(string name, int limit, CancellationToken cancellationToken);
}
