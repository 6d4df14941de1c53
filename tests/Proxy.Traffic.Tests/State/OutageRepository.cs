using Proxy.Traffic.State;

namespace Proxy.Traffic.Tests.State;

/// <summary>A repository that can be taken down, like a Redis that stopped, or made to fail its commits.</summary>
public sealed class OutageRepository(IStateRepository inner) : IStateRepository
{
    public OutageRepository()
        : this(new InMemoryStateRepository())
    {
    }

    /// <summary>Every call throws <see cref="StateUnavailableException"/>.</summary>
    public bool Down { get; set; }

    /// <summary>Commits throw <see cref="IOException"/> (a disk that fails).</summary>
    public bool FailCommits { get; set; }

    public IStateRepository Inner { get; set; } = inner;

    public bool IsShared => Inner.IsShared;

    public string InstanceName => Inner.InstanceName;

    public bool IsConnected => !Down;

    public Task<PersistedState> LoadAsync(CancellationToken cancellationToken) => Call(() => Inner.LoadAsync(cancellationToken));

    public Task CommitAsync(IReadOnlyList<SettingCommit> commits, CancellationToken cancellationToken) =>
        FailCommits ? throw new IOException("disk full") : Call(() => Inner.CommitAsync(commits, cancellationToken));

    public Task<IReadOnlyList<SettingChange>> GetHistoryAsync(SettingKey key, int limit, CancellationToken cancellationToken) =>
        Call(() => Inner.GetHistoryAsync(key, limit, cancellationToken));

    public Task PingAsync(CancellationToken cancellationToken) => Call(() => Inner.PingAsync(cancellationToken));

    public Task SubscribeAsync(Action changed, CancellationToken cancellationToken) => Call(() => Inner.SubscribeAsync(changed, cancellationToken));

    public Task<bool> RebuildAsync(IReadOnlyList<StoredSetting> settings, CancellationToken cancellationToken) => Call(() => Inner.RebuildAsync(settings, cancellationToken));

    public Task ReportAsync(InstanceReport report, TimeSpan timeToLive, CancellationToken cancellationToken) => Call(() => Inner.ReportAsync(report, timeToLive, cancellationToken));

    public Task<IReadOnlyList<InstanceReport>> GetReportsAsync(CancellationToken cancellationToken) => Call(() => Inner.GetReportsAsync(cancellationToken));

    private T Call<T>(Func<T> call) => Down ? throw new StateUnavailableException("down") : call();
}
