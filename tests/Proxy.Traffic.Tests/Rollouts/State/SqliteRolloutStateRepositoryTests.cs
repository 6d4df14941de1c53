using Microsoft.Data.Sqlite;
using Proxy.Traffic.Rollouts.State;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Tests.Rollouts.State;

public sealed class SqliteRolloutStateRepositoryTests : RolloutStateRepositoryContract, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("proxy-rollouts-").FullName;

    protected override IRolloutStateRepository Create() => new SqliteRolloutStateRepository(Path.Combine(_directory, "data", "state.db"));

    protected override IRolloutStateRepository Reopen(IRolloutStateRepository repository) =>
        new SqliteRolloutStateRepository(((SqliteRolloutStateRepository)repository).DatabasePath);

    [Fact]
    public async Task Shares_the_state_file_with_the_split_repository()
    {
        var path = Path.Combine(_directory, "data", "state.db");
        await new SqliteSplitStateRepository(path).PingAsync(default);

        await new SqliteRolloutStateRepository(path).SaveAsync(Rollout("shop", 1, 0), default);

        Assert.Single(await new SqliteRolloutStateRepository(path).LoadAsync(default));
        await new SqliteSplitStateRepository(path).PingAsync(default);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
