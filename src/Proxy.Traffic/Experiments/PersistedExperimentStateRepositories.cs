using Proxy.Traffic.State;
using Proxy.Traffic.State.Redis;

namespace Proxy.Traffic.Experiments;

/// <summary>Keeps experiments' runtime states in the gateway's SQLite state file (tables <c>experiment_settings</c>, <c>experiment_history</c>).</summary>
public sealed class SqliteExperimentStateRepository(string path) : IExperimentStateRepository
{
    private readonly SqliteAuditedSettings<ExperimentStatus, ExperimentStatus> _states = new(path, "experiment");

    public Task<IReadOnlyList<ExperimentStatus>> LoadAsync(CancellationToken cancellationToken) => _states.LoadAsync();

    public Task SaveAsync(ExperimentStatus status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        return _states.SetAsync(status.Id, status, status);
    }

    public Task<IReadOnlyList<ExperimentStatus>> GetHistoryAsync(string id, int limit, CancellationToken cancellationToken) => _states.GetHistoryAsync(id, limit);
}

/// <summary>Keeps experiments' runtime states in the fleet's Redis, announced to every instance with each change.</summary>
public sealed class RedisExperimentStateRepository(RedisStateConnection connection) : IExperimentStateRepository
{
    private readonly RedisAuditedHash<ExperimentStatus, ExperimentStatus> _states =
        new(connection, connection.Keys.Settings("experiment"), id => connection.Keys.SettingsHistory("experiment", id), "experiment");

    public Task<IReadOnlyList<ExperimentStatus>> LoadAsync(CancellationToken cancellationToken) => _states.LoadAsync();

    public Task SaveAsync(ExperimentStatus status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        return _states.SetAsync(status.Id, status, status);
    }

    public Task<IReadOnlyList<ExperimentStatus>> GetHistoryAsync(string id, int limit, CancellationToken cancellationToken) => _states.GetHistoryAsync(id, limit);
}
