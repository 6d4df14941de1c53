using Proxy.Traffic.State;

namespace Proxy.Traffic.Tests.State;

/// <summary>
/// What every <see cref="IStateRepository"/> must do; one deriving class per backend (memory, SQLite file, redis-server).
/// Fleet features are part of the contract: a backend that is not shared must answer them as no-ops.
/// </summary>
public abstract class StateRepositoryContract
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A new, empty repository.</summary>
    protected abstract IStateRepository Create();

    /// <summary>A repository on the same storage as <paramref name="repository"/>, as a restarted gateway (or another instance) would open it.</summary>
    protected abstract IStateRepository Reopen(IStateRepository repository);

    protected static SettingKey Split(string id) => new(SettingKinds.Split, id);

    protected static SettingCommit Commit(SettingKey key, long revision, string? value = "{\"v\":1}", string action = "set") =>
        new(new StoredSetting(key, revision, value),
            new SettingChange(key, revision, At.AddMinutes(revision), "ci", action, "api", revision == 1 ? null : "{\"before\":1}", value, "why " + revision));

    [Fact]
    public async Task Committed_settings_of_every_kind_and_their_history_are_loaded_back_after_reopening()
    {
        var repository = Create();
        var mirror = new SettingKey(SettingKinds.Mirror, "Shop");
        await repository.CommitAsync([Commit(Split("shop"), 1), Commit(mirror, 1), Commit(new(SettingKinds.Isolation, "blue"), 1)], default);
        await repository.CommitAsync([Commit(Split("shop"), 2, "{\"v\":2}")], default);

        var reopened = Reopen(repository);
        var settings = (await reopened.LoadAsync(default)).Settings.OrderBy(s => s.Key.Kind, StringComparer.Ordinal).ToArray();

        Assert.Equal([(SettingKinds.Isolation, "blue", 1L), (SettingKinds.Mirror, "Shop", 1L), (SettingKinds.Split, "shop", 2L)], settings.Select(s => (s.Key.Kind, s.Key.Id, s.Revision)));
        Assert.Equal("{\"v\":2}", settings[2].Value);
        Assert.Equal(Commit(Split("shop"), 2, "{\"v\":2}").Change, (await reopened.GetHistoryAsync(Split("SHOP"), 1, default))[0]);
        Assert.Equal(Commit(mirror, 1).Change, Assert.Single(await reopened.GetHistoryAsync(new(SettingKinds.Mirror, "shop"), 10, default)));
    }

    [Fact]
    public async Task History_is_newest_first_limited_and_per_kind()
    {
        var repository = Create();
        for (var revision = 1; revision <= 5; revision++)
        {
            await repository.CommitAsync([Commit(Split("shop"), revision)], default);
        }

        Assert.Equal([5L, 4L, 3L], (await repository.GetHistoryAsync(Split("shop"), 3, default)).Select(h => h.Revision));
        Assert.Empty(await repository.GetHistoryAsync(new(SettingKinds.Mirror, "shop"), 3, default));
        Assert.Empty(await repository.GetHistoryAsync(Split("unknown"), 3, default));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task A_commit_that_does_not_follow_the_persisted_revision_is_refused(long revision)
    {
        var repository = Create();
        await repository.CommitAsync([Commit(Split("shop"), 1)], default);

        await Assert.ThrowsAsync<StateConflictException>(() => repository.CommitAsync([Commit(Split("shop"), revision)], default));

        Assert.Equal(1, Assert.Single((await repository.LoadAsync(default)).Settings).Revision);
        Assert.Single(await repository.GetHistoryAsync(Split("shop"), 10, default));
    }

    [Fact]
    public async Task A_batch_is_all_or_nothing()
    {
        var repository = Create();
        await repository.CommitAsync([Commit(Split("shop"), 1)], default);

        await Assert.ThrowsAsync<StateConflictException>(() => repository.CommitAsync([Commit(new(SettingKinds.Mirror, "cart"), 1), Commit(Split("shop"), 5)], default));

        Assert.Equal([Split("shop")], (await repository.LoadAsync(default)).Settings.Select(s => s.Key));
        Assert.Empty(await repository.GetHistoryAsync(new(SettingKinds.Mirror, "cart"), 10, default));
    }

    [Fact]
    public async Task A_removed_setting_keeps_its_revision()
    {
        var repository = Create();
        await repository.CommitAsync([Commit(Split("shop"), 1)], default);

        await repository.CommitAsync([Commit(Split("shop"), 2, value: null, action: "remove")], default);

        Assert.Equal(new StoredSetting(Split("shop"), 2, null), Assert.Single((await Reopen(repository).LoadAsync(default)).Settings));
        await Assert.ThrowsAsync<StateConflictException>(() => repository.CommitAsync([Commit(Split("shop"), 1)], default));
    }

    [Fact]
    public async Task Concurrent_commits_of_the_same_revision_let_exactly_one_through()
    {
        var repository = Create();
        await repository.CommitAsync([Commit(Split("shop"), 1)], default);

        var attempts = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await repository.CommitAsync([Commit(Split("shop"), 2, $"{{\"v\":{i}}}")], default);
                return true;
            }
            catch (StateConflictException)
            {
                return false;
            }
        }));

        Assert.Equal(1, (await Task.WhenAll(attempts)).Count(applied => applied));
        Assert.Equal(2, (await repository.GetHistoryAsync(Split("shop"), 10, default)).Count);
    }

    [Fact]
    public async Task Fleet_features_are_there_or_answer_as_no_ops_for_a_single_instance()
    {
        var repository = Create();
        await repository.PingAsync(default);
        var report = new InstanceReport("a", At, false, new Dictionary<string, long> { ["shop"] = 1 }, new Dictionary<string, string> { ["blue"] = "Closed" });

        await repository.ReportAsync(report, TimeSpan.FromSeconds(30), default);
        var reports = await repository.GetReportsAsync(default);

        if (repository.IsShared)
        {
            Assert.Equal("a", Assert.Single(reports).Instance);
            Assert.Null((await repository.LoadAsync(default)).Generation);
            await repository.CommitAsync([Commit(Split("shop"), 1)], default);
            Assert.NotNull((await repository.LoadAsync(default)).Generation);
        }
        else
        {
            Assert.Empty(reports);
            Assert.False(await repository.RebuildAsync([new StoredSetting(Split("shop"), 1, null)], default));
            Assert.Null((await repository.LoadAsync(default)).Generation);
        }
    }
}

public sealed class InMemoryStateRepositoryTests : StateRepositoryContract
{
    protected override IStateRepository Create() => new InMemoryStateRepository();

    protected override IStateRepository Reopen(IStateRepository repository) => repository;
}
