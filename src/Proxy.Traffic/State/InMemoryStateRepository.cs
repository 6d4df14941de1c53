namespace Proxy.Traffic.State;

/// <summary>Keeps every runtime setting in process memory: nothing survives a restart. For tests and gateways that want no state file.</summary>
public sealed class InMemoryStateRepository : IStateRepository
{
    private readonly Lock _lock = new();
    private readonly Dictionary<SettingKey, StoredSetting> _settings = [];
    private readonly Dictionary<SettingKey, List<SettingChange>> _history = [];

    public bool IsShared => false;

    public string InstanceName => Environment.MachineName;

    public bool IsConnected => true;

    public Task<PersistedState> LoadAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(new PersistedState(null, [.. _settings.Values]));
        }
    }

    public Task CommitAsync(IReadOnlyList<SettingCommit> commits, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            // A batch may move one setting several times, in order: each revision follows the one before by exactly one.
            ArgumentNullException.ThrowIfNull(commits);
            var pending = new Dictionary<SettingKey, long>();
            foreach (var (setting, _) in commits)
            {
                var current = pending.TryGetValue(setting.Key, out var revision) ? revision : _settings.GetValueOrDefault(setting.Key)?.Revision ?? 0;
                pending[setting.Key] = setting.Revision == current + 1 ? setting.Revision : throw StateConflictException.For(setting.Key, setting.Revision);
            }

            foreach (var (setting, change) in commits)
            {
                _settings[setting.Key] = setting;
                if (!_history.TryGetValue(setting.Key, out var history))
                {
                    _history[setting.Key] = history = [];
                }

                history.Add(change);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SettingChange>> GetHistoryAsync(SettingKey key, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<SettingChange> entries = _history.TryGetValue(key, out var history) ? [.. history.AsEnumerable().Reverse().Take(limit)] : [];
            return Task.FromResult(entries);
        }
    }

    public Task PingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task SubscribeAsync(Action changed, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<bool> RebuildAsync(IReadOnlyList<StoredSetting> settings, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task ReportAsync(InstanceReport report, TimeSpan timeToLive, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<InstanceReport>> GetReportsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<InstanceReport>>([]);
}
