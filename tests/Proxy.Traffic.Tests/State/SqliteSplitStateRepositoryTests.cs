using Microsoft.Data.Sqlite;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Tests.State;

public sealed class SqliteSplitStateRepositoryTests : SplitStateRepositoryContract, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("proxy-state-").FullName;

    protected override ISplitStateRepository Create() => new SqliteSplitStateRepository(Path.Combine(_directory, "data", "state.db"));

    protected override ISplitStateRepository Reopen(ISplitStateRepository repository) =>
        new SqliteSplitStateRepository(((SqliteSplitStateRepository)repository).DatabasePath);

    [Fact]
    public async Task The_database_file_is_in_wal_mode()
    {
        var repository = (SqliteSplitStateRepository)Create();
        await repository.PingAsync(default);

        using var connection = new SqliteConnection($"Data Source={repository.DatabasePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";

        Assert.Equal("wal", command.ExecuteScalar());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
