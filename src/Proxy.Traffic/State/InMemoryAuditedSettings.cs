namespace Proxy.Traffic.State;

/// <summary>
/// Runtime settings by id (compared case-insensitively) and their audit trail in process memory, for the in-memory
/// repositories of mirrors and isolations: nothing survives a restart.
/// </summary>
internal sealed class InMemoryAuditedSettings<TValue, TChange>(Func<TChange, string> idOfChange)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TValue> _settings = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<TChange> _history = [];

    public Task<IReadOnlyList<TValue>> LoadAsync()
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<TValue>>([.. _settings.Values]);
        }
    }

    public Task SetAsync(string id, TValue value, TChange change)
    {
        lock (_lock)
        {
            _settings[id] = value;
            _history.Add(change);
        }

        return Task.CompletedTask;
    }

    public Task RemoveAsync(string id, TChange change)
    {
        lock (_lock)
        {
            _settings.Remove(id);
            _history.Add(change);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<TChange>> GetHistoryAsync(string id, int limit)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<TChange>>(
                [.. _history.Where(c => string.Equals(idOfChange(c), id, StringComparison.OrdinalIgnoreCase)).Reverse().Take(limit)]);
        }
    }
}
