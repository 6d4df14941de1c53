using Microsoft.Extensions.Time.Testing;
using Proxy.Traffic.Flags;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Tests.Flags;

/// <summary>Flags' runtime settings as a kind of the one runtime-state model: persisted in the SQLite state file, audited, caught up by other instances.</summary>
public sealed class FlagStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("proxy-flags-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-01T20:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private static Dictionary<string, FlagOptions> Flags(decimal on = 20) => new()
    {
        ["new-checkout"] = new FlagOptions
        {
            Variants = new() { ["off"] = "false", ["on"] = "true" },
            Default = "off",
            Routes = ["shop"],
            Rollout = new() { ["on"] = on },
        },
    };

    private static Task<FlagChange?> KillAsync(FlagStore store) =>
        store.ChangeAsync("new-checkout", FlagChange.KillAction, "ops", "errors", (current, fingerprint) => new FlagOverride("new-checkout", false, null, null, fingerprint), default);

    [Fact]
    public async Task Kill_switch_survives_a_restart_and_gives_way_when_the_file_changes_the_flag()
    {
        var path = Path.Combine(_directory, "state.db");
        using (var state = new RuntimeStateStore(new SqliteStateRepository(path), _time))
        {
            var store = new FlagStore(state);
            await store.ApplyConfiguredAsync(Flags(), ["shop"], default);
            await KillAsync(store);
        }

        using var reopened = new RuntimeStateStore(new SqliteStateRepository(path), _time);
        var restarted = new FlagStore(reopened);
        await restarted.ApplyConfiguredAsync(Flags(), ["shop"], default);
        var killed = restarted.Current.All["new-checkout"].Enabled;
        await restarted.ApplyConfiguredAsync(Flags(on: 30), ["shop"], default);
        var history = await restarted.GetHistoryAsync("new-checkout", 10, default);

        Assert.False(killed);
        Assert.True(restarted.Current.All["new-checkout"].Enabled);
        Assert.Equal([FlagChange.ConfigAction, FlagChange.KillAction], history.Select(c => c.Action));
        Assert.Equal(("ops", "errors", false), (history[1].Actor, history[1].Reason, history[1].After!.Enabled));
        Assert.Equal([2L, 1L], (await reopened.GetHistoryAsync(new SettingKey(SettingKinds.Flag, "new-checkout"), 10, default)).Select(c => c.Revision));
    }

    [Fact]
    public async Task Another_instances_kill_switch_is_in_force_after_a_sync()
    {
        var repository = new InMemoryStateRepository();
        using var stateA = new RuntimeStateStore(repository, _time);
        using var stateB = new RuntimeStateStore(repository, _time);
        var a = new FlagStore(stateA);
        var b = new FlagStore(stateB);
        await a.ApplyConfiguredAsync(Flags(), ["shop"], default);
        await b.ApplyConfiguredAsync(Flags(), ["shop"], default);

        await KillAsync(a);
        var beforeSync = b.Current.All["new-checkout"].Enabled;
        var updates = await stateB.SyncAsync(default);

        Assert.True(beforeSync);
        Assert.Equal([new SettingKey(SettingKinds.Flag, "new-checkout")], updates.Select(u => u.Key));
        Assert.False(b.Current.All["new-checkout"].Enabled);
        Assert.False(b.GetOverride("new-checkout")!.Enabled);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
