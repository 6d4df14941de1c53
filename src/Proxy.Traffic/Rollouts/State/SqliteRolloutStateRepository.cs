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

    public Task<IReadOnlyList<RolloutState>> LoadAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RolloutState>>(_database.Query(
            "SELECT state FROM rollouts ORDER BY route_id", reader => RolloutStateJson.Read(reader.GetString(0))));

    public Task SaveAsync(RolloutState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        _database.Write((connection, transaction) => SqliteStateDatabase.Execute(
            connection,
            transaction,
            """
            INSERT INTO rollouts (route_id, rollout_id, state) VALUES ($route, $id, $state)
            ON CONFLICT (route_id) DO UPDATE SET rollout_id = excluded.rollout_id, state = excluded.state
            """,
            ("$route", state.RouteId),
            ("$id", state.Id),
            ("$state", RolloutStateJson.Write(state))));
        return Task.CompletedTask;
    }
}
