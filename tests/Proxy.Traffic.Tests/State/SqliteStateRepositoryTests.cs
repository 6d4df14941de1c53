using Microsoft.Data.Sqlite;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Tests.State;

public sealed class SqliteStateRepositoryTests : StateRepositoryContract, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("proxy-state-").FullName;

    protected override IStateRepository Create() => new SqliteStateRepository(Path.Combine(_directory, "data", Guid.NewGuid().ToString("N") + ".db"));

    protected override IStateRepository Reopen(IStateRepository repository) => new SqliteStateRepository(((SqliteStateRepository)repository).DatabasePath);

    [Fact]
    public async Task The_database_file_is_in_wal_mode()
    {
        var repository = (SqliteStateRepository)Create();
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
