using Proxy.Traffic.State;

namespace Proxy.Traffic.Rollouts.State;

/// <summary>Keeps each route's latest rollout in the gateway's SQLite state file (the split state's file, its own table).</summary>
public sealed class SqliteRolloutStateRepository : IRolloutStateRepository
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS rollouts (
            route_id   TEXT    NOT NULL PRIMARY KEY COLLATE NOCASE,
            rollout_id INTEGER NOT NULL,
            state      TEXT    NOT NULL);
        """;

    private readonly SqliteStateDatabase _database;

    /// <summary>Uses (and creates when missing) the database file at <paramref name="path"/>.</summary>
    public SqliteRolloutStateRepository(string path) => _database = new SqliteStateDatabase(path, Schema);

    /// <summary>The database file.</summary>
    public string DatabasePath => _database.DatabasePath;

    public Task<IReadOnlyList<RolloutState>> LoadAsync(CancellationToken cancellationToken)
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT state FROM rollouts ORDER BY route_id";
        using var reader = command.ExecuteReader();
        var rollouts = new List<RolloutState>();
        while (reader.Read())
        {
            rollouts.Add(RolloutStateJson.Read(reader.GetString(0)));
        }

        return Task.FromResult<IReadOnlyList<RolloutState>>(rollouts);
    }

    public Task SaveAsync(RolloutState state, CancellationToken cancellationToken)
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO rollouts (route_id, rollout_id, state) VALUES ($route, $id, $state)
            ON CONFLICT (route_id) DO UPDATE SET rollout_id = excluded.rollout_id, state = excluded.state
            """;
        command.Parameters.AddWithValue("$route", state.RouteId);
        command.Parameters.AddWithValue("$id", state.Id);
        command.Parameters.AddWithValue("$state", RolloutStateJson.Write(state));
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }
}
