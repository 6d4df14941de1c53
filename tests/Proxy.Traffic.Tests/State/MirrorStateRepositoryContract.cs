using Proxy.Traffic.Mirroring;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Tests.State;

/// <summary>What every <see cref="IMirrorStateRepository"/> must do; each implementation gets a deriving test class.</summary>
public abstract class MirrorStateRepositoryContract
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly MirrorSettings Green = MirrorSettings.Create("green", 12.5m, ["GET", "POST"], 2048, 16, TimeSpan.FromSeconds(2));

    /// <summary>A new, empty repository.</summary>
    protected abstract IMirrorStateRepository Create();

    /// <summary>A repository on the same storage, as a restarted gateway would open it.</summary>
    protected abstract IMirrorStateRepository Reopen(IMirrorStateRepository repository);

    [Fact]
    public async Task Settings_and_history_are_loaded_back_after_reopening()
    {
        var repository = Create();
        await repository.SaveAsync(new("shop", Green, null), new("shop", At, "ops", MirrorChange.SetAction, null, Green, "dark launch"), default);
        await repository.SaveAsync(new("cart", Green, Green), new("cart", At, "ops", MirrorChange.SetAction, null, Green, null), default);
        await repository.SaveAsync(new("shop", null, Green), new("shop", At.AddMinutes(1), "ci", MirrorChange.RemoveAction, Green, null, null), default);

        var reopened = Reopen(repository);
        var settings = (await reopened.LoadAsync(default)).OrderBy(s => s.RouteId, StringComparer.Ordinal).ToArray();
        var history = await reopened.GetHistoryAsync("SHOP", 10, default);

        Assert.Equal(["cart", "shop"], settings.Select(s => s.RouteId));
        Assert.True(settings[0].Mirror!.SameAs(Green));
        Assert.Null(settings[1].Mirror);
        Assert.True(settings[1].Configured!.SameAs(Green));
        Assert.Equal([MirrorChange.RemoveAction, MirrorChange.SetAction], history.Select(h => h.Action));
        Assert.True(history[0].Before!.SameAs(Green));
        Assert.Equal(("ops", At, "dark launch"), (history[1].Actor, history[1].At, history[1].Reason));
        Assert.Single(await reopened.GetHistoryAsync("shop", 1, default));
    }

    [Fact]
    public async Task Clearing_removes_the_setting_and_keeps_the_audit_entry()
    {
        var repository = Create();
        await repository.SaveAsync(new("shop", Green, null), new("shop", At, "ops", MirrorChange.SetAction, null, Green, null), default);

        await repository.ClearAsync("shop", new("shop", At.AddMinutes(1), "config", MirrorChange.ConfigAction, Green, null, "file changed"), default);

        var reopened = Reopen(repository);
        Assert.Empty(await reopened.LoadAsync(default));
        Assert.Equal([MirrorChange.ConfigAction, MirrorChange.SetAction], (await reopened.GetHistoryAsync("shop", 10, default)).Select(h => h.Action));
    }
}

public sealed class InMemoryMirrorStateRepositoryTests : MirrorStateRepositoryContract
{
    protected override IMirrorStateRepository Create() => new InMemoryMirrorStateRepository();

    protected override IMirrorStateRepository Reopen(IMirrorStateRepository repository) => repository;
}
