using Proxy.Traffic.Splitting;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Tests.State;

/// <summary>
/// What every <see cref="ISplitStateRepository"/> must do. Each implementation gets a test class deriving from this one
/// (SQLite and in-memory here; Redis later).
/// </summary>
public abstract class SplitStateRepositoryContract
{
    private static readonly DateTimeOffset At = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A new, empty repository.</summary>
    protected abstract ISplitStateRepository Create();

    /// <summary>A repository on the same storage as <paramref name="repository"/>, as a restarted gateway would open it.</summary>
    protected abstract ISplitStateRepository Reopen(ISplitStateRepository repository);

    private static SplitState State(int canary) => new("blue", [new("blue", BasisPoints.Total - canary), new("canary", canary)]);

    private static SplitCommit Commit(string route, long revision, int canary, string action = SplitActions.SetWeights, string? reason = null) =>
        new(new RouteSplitRecord(route, revision, State(canary), State(0)),
            new SplitRevision(route, revision, At.AddMinutes(revision), "ci", action, SplitChangeSource.Api, revision == 1 ? null : State(0), State(canary), reason));

    [Fact]
    public async Task A_commit_is_loaded_back_after_reopening()
    {
        var repository = Create();
        await repository.CommitAsync([Commit("shop", 1, 0, SplitActions.Config), Commit("cart", 1, 0, SplitActions.Config)], default);
        await repository.CommitAsync([Commit("shop", 2, 1250, reason: "ship it")], default);

        var reopened = Reopen(repository);
        var routes = (await reopened.LoadAsync(default)).OrderBy(r => r.RouteId, StringComparer.Ordinal).ToArray();

        Assert.Equal(["cart", "shop"], routes.Select(r => r.RouteId));
        Assert.Equal(new RouteSplitRecord("shop", 2, State(1250), State(0)), routes[1]);
        var latest = (await reopened.GetHistoryAsync("shop", 1, default))[0];
        Assert.Equal(Commit("shop", 2, 1250, reason: "ship it").Entry, latest);
    }

    [Fact]
    public async Task History_is_newest_first_and_limited()
    {
        var repository = Create();
        for (var revision = 1; revision <= 5; revision++)
        {
            await repository.CommitAsync([Commit("shop", revision, revision * 100)], default);
        }

        var history = await repository.GetHistoryAsync("shop", 3, default);

        Assert.Equal([5L, 4L, 3L], history.Select(h => h.Revision));
        Assert.Empty(await repository.GetHistoryAsync("unknown", 3, default));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task A_commit_that_does_not_follow_the_persisted_revision_is_refused(long revision)
    {
        var repository = Create();
        await repository.CommitAsync([Commit("shop", 1, 0)], default);

        await Assert.ThrowsAsync<SplitRevisionConflictException>(() => repository.CommitAsync([Commit("shop", revision, 500)], default));

        Assert.Equal(1, Assert.Single(await repository.LoadAsync(default)).Revision);
        Assert.Single(await repository.GetHistoryAsync("shop", 10, default));
    }

    [Fact]
    public async Task A_batch_is_all_or_nothing()
    {
        var repository = Create();
        await repository.CommitAsync([Commit("shop", 1, 0)], default);

        await Assert.ThrowsAsync<SplitRevisionConflictException>(() => repository.CommitAsync([Commit("cart", 1, 0), Commit("shop", 5, 500)], default));

        Assert.Equal(["shop"], (await repository.LoadAsync(default)).Select(r => r.RouteId));
        Assert.Empty(await repository.GetHistoryAsync("cart", 10, default));
    }

    [Fact]
    public async Task A_removed_route_keeps_its_revision()
    {
        var repository = Create();
        await repository.CommitAsync([Commit("shop", 1, 0)], default);
        var removal = new SplitCommit(
            new RouteSplitRecord("shop", 2, null, null),
            new SplitRevision("shop", 2, At, SplitActions.ConfigActor, SplitActions.Remove, SplitChangeSource.Config, State(0), null, null));

        await repository.CommitAsync([removal], default);

        Assert.Equal(new RouteSplitRecord("shop", 2, null, null), Assert.Single(await Reopen(repository).LoadAsync(default)));
    }

    [Fact]
    public async Task Concurrent_commits_of_the_same_revision_let_exactly_one_through()
    {
        var repository = Create();
        await repository.CommitAsync([Commit("shop", 1, 0)], default);

        var attempts = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await repository.CommitAsync([Commit("shop", 2, 100 + i)], default);
                return true;
            }
            catch (SplitRevisionConflictException)
            {
                return false;
            }
        }));

        Assert.Equal(1, (await Task.WhenAll(attempts)).Count(applied => applied));
        Assert.Equal(2, (await repository.GetHistoryAsync("shop", 10, default)).Count);
    }
}
