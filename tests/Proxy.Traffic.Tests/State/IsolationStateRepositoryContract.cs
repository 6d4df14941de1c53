using Proxy.Traffic.State;

namespace Proxy.Traffic.Tests.State;

/// <summary>What every <see cref="IIsolationStateRepository"/> must do; each implementation gets a deriving test class.</summary>
public abstract class IsolationStateRepositoryContract
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A new, empty repository.</summary>
    protected abstract IIsolationStateRepository Create();

    /// <summary>A repository on the same storage, as a restarted gateway would open it.</summary>
    protected abstract IIsolationStateRepository Reopen(IIsolationStateRepository repository);

    [Fact]
    public async Task Isolations_and_history_are_loaded_back_after_reopening()
    {
        var repository = Create();
        await SaveAsync(repository, new("canary", "bad build", "ops", At));
        await SaveAsync(repository, new("green", null, "ci", At.AddMinutes(1)));

        var reopened = Reopen(repository);
        var isolations = (await reopened.LoadAsync(default)).OrderBy(i => i.ClusterId, StringComparer.Ordinal).ToArray();

        Assert.Equal([new ManualIsolation("canary", "bad build", "ops", At), new ManualIsolation("green", null, "ci", At.AddMinutes(1))], isolations);
        var history = Assert.Single(await reopened.GetHistoryAsync("CANARY", 10, default));
        Assert.Equal(new IsolationChange("canary", At, "ops", IsolationChange.IsolateAction, "bad build"), history);
    }

    [Fact]
    public async Task Isolating_again_replaces_the_isolation_whatever_the_case_of_the_cluster()
    {
        var repository = Create();
        await SaveAsync(repository, new("canary", "first", "ops", At));

        await SaveAsync(repository, new("Canary", "second", "ci", At.AddMinutes(1)));

        var isolation = Assert.Single(await Reopen(repository).LoadAsync(default));
        Assert.Equal(("second", "ci"), (isolation.Reason, isolation.Actor));
        Assert.Equal(2, (await repository.GetHistoryAsync("canary", 10, default)).Count);
    }

    [Fact]
    public async Task Removing_lifts_only_that_cluster_and_keeps_the_audit_trail_newest_first()
    {
        var repository = Create();
        await SaveAsync(repository, new("canary", "bad build", "ops", At));
        await SaveAsync(repository, new("green", null, "ops", At));

        await repository.RemoveAsync("CANARY", new("canary", At.AddMinutes(5), "ci", IsolationChange.ResetAction, "fixed"), default);

        var reopened = Reopen(repository);
        Assert.Equal(["green"], (await reopened.LoadAsync(default)).Select(i => i.ClusterId));
        var history = await reopened.GetHistoryAsync("canary", 10, default);
        Assert.Equal([IsolationChange.ResetAction, IsolationChange.IsolateAction], history.Select(h => h.Action));
        Assert.Equal(("ci", At.AddMinutes(5), "fixed"), (history[0].Actor, history[0].At, history[0].Reason));
        Assert.Single(await reopened.GetHistoryAsync("canary", 1, default));
    }

    [Fact]
    public async Task Removing_a_cluster_that_is_not_isolated_only_records_the_reset()
    {
        var repository = Create();

        await repository.RemoveAsync("canary", new("canary", At, "ops", IsolationChange.ResetAction, null), default);

        Assert.Empty(await repository.LoadAsync(default));
        Assert.Equal([IsolationChange.ResetAction], (await repository.GetHistoryAsync("canary", 10, default)).Select(h => h.Action));
    }

    private static Task SaveAsync(IIsolationStateRepository repository, ManualIsolation isolation) =>
        repository.SaveAsync(isolation, IsolationChange.Isolated(isolation), default);
}

public sealed class InMemoryIsolationStateRepositoryTests : IsolationStateRepositoryContract
{
    protected override IIsolationStateRepository Create() => new InMemoryIsolationStateRepository();

    protected override IIsolationStateRepository Reopen(IIsolationStateRepository repository) => repository;
}
