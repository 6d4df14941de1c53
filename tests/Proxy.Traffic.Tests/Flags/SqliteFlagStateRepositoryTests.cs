using Microsoft.Extensions.Time.Testing;
using Proxy.Traffic.Flags;

namespace Proxy.Traffic.Tests.Flags;

/// <summary>Flags' runtime settings in the SQLite state file: a kill switch survives a restart (a new store on the same file).</summary>
public sealed class SqliteFlagStateRepositoryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("proxy-flags-").FullName;

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

    [Fact]
    public async Task Kill_switch_survives_a_restart_and_gives_way_when_the_file_changes_the_flag()
    {
        var path = Path.Combine(_directory, "state.db");
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T20:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using (var store = new FlagStore(new SqliteFlagStateRepository(path), time))
        {
            await store.ApplyConfiguredAsync(Flags(), ["shop"], default);
            await store.ChangeAsync("new-checkout", FlagChange.KillAction, "ops", "errors", (current, fingerprint) => new FlagOverride("new-checkout", false, null, null, fingerprint), default);
        }

        using var restarted = new FlagStore(new SqliteFlagStateRepository(path), time);
        await restarted.ApplyConfiguredAsync(Flags(), ["shop"], default);
        var killed = restarted.Current.All["new-checkout"].Enabled;
        await restarted.ApplyConfiguredAsync(Flags(on: 30), ["shop"], default);
        var history = await restarted.GetHistoryAsync("new-checkout", 10, default);

        Assert.False(killed);
        Assert.True(restarted.Current.All["new-checkout"].Enabled);
        Assert.Equal([FlagChange.ConfigAction, FlagChange.KillAction], history.Select(c => c.Action));
        Assert.Equal(("ops", "errors", false), (history[1].Actor, history[1].Reason, history[1].After!.Enabled));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
