using Microsoft.Data.Sqlite;
using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.Mirroring;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Tests.Mirroring.Diffs;

/// <summary>A runtime mirror's comparison settings survive a restart, and mirrors stored before them read as the defaults.</summary>
public sealed class MirrorDiffSettingsStorageTests : IDisposable
{
    private readonly string _path = Path.Combine(Directory.CreateTempSubdirectory("proxy-mirror-diff-").FullName, "state.db");

    [Fact]
    public async Task Comparison_settings_are_stored_with_the_mirror_and_read_back_alike()
    {
        await new SqliteSplitStateRepository(_path).PingAsync(default);
        var diff = MirrorDiffRequest.ToSettings(new MirrorDiffRequest(Ignore: ["$.at"], Sets: ["$.tags"], NoisePercentage: 12.5m, MaxFields: 7));
        var withDiff = MirrorSettings.Create("green", 10, null, null, null, null, diff);
        var plain = MirrorSettings.Create("green", 10, null, null, null, null, MirrorDiffRequest.ToSettings(null));
        var change = new MirrorChange("shop", DateTimeOffset.UnixEpoch, "ops", MirrorChange.SetAction, null, withDiff, null);

        await new SqliteMirrorStateRepository(_path).SaveAsync(new MirrorOverride("shop", withDiff, plain), change, default);
        var loaded = Assert.Single(await new SqliteMirrorStateRepository(_path).LoadAsync(default));

        Assert.True(loaded.Mirror!.SameAs(withDiff));
        Assert.Equal((1250, 7, "$.at"), (loaded.Mirror.Answers.NoiseBasisPoints, loaded.Mirror.Answers.MaxFields, loaded.Mirror.Answers.Ignore.Single()));
        Assert.Null(loaded.Configured!.Diff);
        Assert.False(plain.SameAs(withDiff));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
    }
}
