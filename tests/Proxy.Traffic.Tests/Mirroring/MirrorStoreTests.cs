using Microsoft.Extensions.Time.Testing;
using Proxy.Traffic.Mirroring;
using Proxy.Traffic.State;
using Proxy.Traffic.Tests.State;

namespace Proxy.Traffic.Tests.Mirroring;

public class MirrorStoreTests
{
    private static readonly MirrorSettings FromFile = MirrorSettings.Create("green", 10, null, null, null, null);
    private static readonly MirrorSettings FromApi = MirrorSettings.Create("canary", 50, ["GET", "POST"], 1024, 8, TimeSpan.FromSeconds(1));

    private readonly InMemoryStateRepository _repository = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_runtime_mirror_wins_over_the_file_and_survives_a_new_store()
    {
        var store = Open(_repository);
        await store.ApplyConfiguredAsync(Configured(), default);
        await store.SetAsync("shop", FromApi, "ops", "try canary", default);

        var restarted = Open(_repository);
        await restarted.ApplyConfiguredAsync(Configured(), default);

        Assert.True(restarted.TryGet("shop", out var route));
        Assert.True(route.Settings.SameAs(FromApi));
        Assert.Equal(MirrorSource.Api, route.Source);
        Assert.True(restarted.GetConfigured("shop")!.SameAs(FromFile));
    }

    [Fact]
    public async Task Sync_puts_another_instances_setting_in_force_and_names_the_routes_it_changed()
    {
        var a = Open(_repository);
        var b = Open(_repository);
        await a.ApplyConfiguredAsync(Configured(), default);
        await b.ApplyConfiguredAsync(Configured(), default);

        await a.SetAsync("shop", FromApi, "ops", null, default);

        Assert.Equal(["shop"], await b.SyncAsync(default));
        Assert.True(b.TryGet("shop", out var route));
        Assert.True(route.Settings.SameAs(FromApi));
        Assert.Equal(MirrorSource.Api, route.Source);
        Assert.Empty(await b.SyncAsync(default));
    }

    [Fact]
    public async Task Without_the_repository_at_start_up_the_files_mirror_is_in_force_until_a_sync_merges_the_runtime_one()
    {
        await SeedAsync(new("shop", FromApi, FromFile), new("shop", _time.GetUtcNow(), "ops", MirrorChange.SetAction, FromFile, FromApi, null));
        await SeedAsync(new("cart", FromApi, FromFile), new("cart", _time.GetUtcNow(), "ops", MirrorChange.SetAction, null, FromApi, null));
        var repository = new OutageRepository(_repository) { Down = true };
        var store = Open(repository);

        // cart's file mirror changed (none now) while the repository was away.
        await store.ApplyConfiguredAsync(Configured(), default);
        Assert.True(store.TryGet("shop", out var fromFile) && fromFile.Source == MirrorSource.Config);

        repository.Down = false;
        Assert.Equal(["shop"], await store.SyncAsync(default));
        Assert.True(store.TryGet("shop", out var runtime) && runtime.Settings.SameAs(FromApi));
        Assert.False(store.TryGet("cart", out _));
        Assert.Equal(MirrorChange.ConfigAction, (await store.GetHistoryAsync("cart", 1, default))[0].Action);
    }

    [Fact]
    public async Task A_changed_file_mirror_replaces_the_runtime_setting_and_says_so()
    {
        var store = Open(_repository);
        await store.ApplyConfiguredAsync(Configured(), default);
        await store.SetAsync("shop", null, "ops", null, default);

        var edited = MirrorSettings.Create("green", 30, null, null, null, null);
        await store.ApplyConfiguredAsync(Configured(edited), default);

        Assert.True(store.TryGet("shop", out var route));
        Assert.Equal(MirrorSource.Config, route.Source);
        Assert.True(route.Settings.SameAs(edited));
        var latest = (await store.GetHistoryAsync("shop", 1, default))[0];
        Assert.Equal((MirrorChange.ConfigAction, "config"), (latest.Action, latest.Actor));
    }

    [Fact]
    public async Task Turning_the_mirror_off_also_silences_the_file_and_is_audited()
    {
        var store = Open(_repository);
        await store.ApplyConfiguredAsync(Configured(), default);

        var change = await store.SetAsync("shop", null, "ops", "too noisy", default);

        Assert.False(store.TryGet("shop", out _));
        Assert.Equal(MirrorChange.RemoveAction, change.Action);
        Assert.True(change.Before!.SameAs(FromFile));
        Assert.Equal([change], await store.GetHistoryAsync("shop", 10, default));
    }

    [Fact]
    public async Task A_reload_with_the_same_mirror_keeps_its_counters_and_a_new_one_starts_afresh()
    {
        var store = Open(_repository);
        await store.ApplyConfiguredAsync(Configured(), default);
        store.TryGet("shop", out var before);
        before.Comparison.RecordSent();

        await store.ApplyConfiguredAsync(Configured(MirrorSettings.Create("green", 10, null, null, null, null)), default);
        store.TryGet("shop", out var same);
        await store.ApplyConfiguredAsync(Configured(MirrorSettings.Create("green", 20, null, null, null, null)), default);
        store.TryGet("shop", out var changed);

        Assert.Same(before, same);
        Assert.Equal(0, changed.Comparison.Sent);
    }

    private static Dictionary<string, MirrorSettings> Configured(MirrorSettings? settings = null) => new(StringComparer.OrdinalIgnoreCase) { ["shop"] = settings ?? FromFile };

    private MirrorStore Open(IStateRepository repository) => new(new RuntimeStateStore(repository, _time));

    private Task SeedAsync(MirrorOverride setting, MirrorChange change) =>
        _repository.CommitAsync([new SettingCommit(new StoredSetting(MirrorSetting.Key(setting.RouteId), 1, MirrorSetting.Write(setting)), MirrorSetting.Change(change, 1))], default);
}
