using Microsoft.Data.Sqlite;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Tests.State;

/// <summary>The SQLite isolation repository shares the split repository's file: both open it and keep their own tables.</summary>
public sealed class SqliteIsolationStateRepositoryTests : IsolationStateRepositoryContract, IDisposable
{
    private readonly string _path = Path.Combine(Directory.CreateTempSubdirectory("proxy-isolation-state-").FullName, "data", "state.db");

    protected override IIsolationStateRepository Create()
    {
        // The split repository creates the file first, as the gateway does.
        new SqliteSplitStateRepository(_path).PingAsync(default).GetAwaiter().GetResult();
        return new SqliteIsolationStateRepository(_path);
    }

    protected override IIsolationStateRepository Reopen(IIsolationStateRepository repository) => new SqliteIsolationStateRepository(_path);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(_path))!, recursive: true);
    }
}
