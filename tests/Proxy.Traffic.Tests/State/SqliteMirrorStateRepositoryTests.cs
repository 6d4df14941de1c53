using Microsoft.Data.Sqlite;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Tests.State;

/// <summary>The SQLite mirror repository shares the split repository's file: both open it and keep their own tables.</summary>
public sealed class SqliteMirrorStateRepositoryTests : MirrorStateRepositoryContract, IDisposable
{
    private readonly string _path = Path.Combine(Directory.CreateTempSubdirectory("proxy-mirror-state-").FullName, "data", "state.db");

    protected override IMirrorStateRepository Create()
    {
        // The split repository creates the file first, as the gateway does.
        new SqliteSplitStateRepository(_path).PingAsync(default).GetAwaiter().GetResult();
        return new SqliteMirrorStateRepository(_path);
    }

    protected override IMirrorStateRepository Reopen(IMirrorStateRepository repository) => new SqliteMirrorStateRepository(_path);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(_path))!, recursive: true);
    }
}
