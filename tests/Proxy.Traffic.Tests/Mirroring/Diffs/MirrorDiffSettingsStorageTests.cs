using Microsoft.Data.Sqlite;
using Proxy.Traffic.Mirroring.Diffs;
using Proxy.Traffic.Mirroring;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Tests.Mirroring.Diffs;

/// <summary>A runtime mirror's comparison settings survive a restart (mirrors stored before them read as the defaults: <c>MigrationTests</c>).</summary>
public sealed class MirrorDiffSettingsStorageTests : IDisposable
{
    private readonly string _path = Path.Combine(Directory.CreateTempSubdirectory("proxy-mirror-diff-").FullName, "state.db");

    [Fact]
    public async Task Comparison_settings_are_stored_with_the_mirror_and_read_back_alike()
    {
        var diff = MirrorDiffRequest.ToSettings(new MirrorDiffRequest(Ignore: ["$.at"], Sets: ["$.tags"], NoisePercentage: 12.5m, MaxFields: 7));
        var withDiff = MirrorSettings.Create("green", 10, null, null, null, null, diff);
        var plain = MirrorSettings.Create("green", 10, null, null, null, null, MirrorDiffRequest.ToSettings(null));
        var file = new Dictionary<string, MirrorSettings> { ["shop"] = plain };
        using (var state = new RuntimeStateStore(new SqliteStateRepository(_path), TimeProvider.System))
        {
            var mirrors = new MirrorStore(state);
            await mirrors.ApplyConfiguredAsync(file, default);
            await mirrors.SetAsync("shop", withDiff, "ops", null, default);
        }

        // A restart: a new store over the same file.
        SqliteConnection.ClearAllPools();
        using var reopened = new RuntimeStateStore(new SqliteStateRepository(_path), TimeProvider.System);
        var loaded = new MirrorStore(reopened);
        await loaded.ApplyConfiguredAsync(file, default);

        Assert.True(loaded.TryGet("shop", out var route));
        Assert.True(route.Settings.SameAs(withDiff));
        Assert.Equal((1250, 7, "$.at"), (route.Settings.Answers.NoiseBasisPoints, route.Settings.Answers.MaxFields, route.Settings.Answers.Ignore.Single()));
        Assert.False(plain.SameAs(withDiff));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
    }
}
