using Microsoft.Data.Sqlite;

namespace Proxy.Traffic.State.Migration;

/// <summary>
/// Migrates a state file written before issue 16 (schema 1: <c>route_splits</c>/<c>split_history</c>,
/// <c>route_mirrors</c>/<c>mirror_history</c>, <c>cluster_isolations</c>/<c>isolation_history</c>, <c>rollouts</c>) into
/// the <c>settings</c> and <c>setting_history</c> tables, in the transaction that creates them, the first time the new
/// code opens the file. The old tables are left as they were (a downgrade still finds the state of the upgrade).
/// </summary>
internal static class SqliteLegacyImport
{
    public static void Run(SqliteConnection connection, SqliteTransaction transaction)
    {
        var version = SqliteStateDatabase.Query(connection, transaction, "PRAGMA user_version", r => r.GetInt64(0))[0];
        if (version >= SqliteStateRepository.SchemaVersion)
        {
            return;
        }

        var tables = SqliteStateDatabase.Query(connection, transaction, "SELECT name FROM sqlite_master WHERE type = 'table'", r => r.GetString(0))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var import = new LegacyStateImport();
        if (tables.Contains("route_splits"))
        {
            Read(connection, transaction, "SELECT route_id, revision, current, configured FROM route_splits",
                r => import.AddSplit(r.GetString(0), r.GetInt64(1), Text(r, 2), Text(r, 3)));
            Read(connection, transaction, "SELECT route_id, revision, at, actor, action, source, before, after, reason FROM split_history",
                r => import.AddSplitHistory(r.GetString(0), r.GetInt64(1), SqliteStateDatabase.ReadTimestamp(r, 2), r.GetString(3), r.GetString(4), r.GetString(5), Text(r, 6), Text(r, 7), Text(r, 8)));
        }

        if (tables.Contains("route_mirrors"))
        {
            Read(connection, transaction, "SELECT route_id, mirror, configured FROM route_mirrors",
                r => import.AddUnrevisioned(SettingKinds.Mirror, r.GetString(0), MirrorSetting.Write(new(r.GetString(0), StateJson.ReadMirror(Text(r, 1)), StateJson.ReadMirror(Text(r, 2))))));
            Read(connection, transaction, "SELECT route_id, at, actor, action, before, after, reason FROM mirror_history ORDER BY id",
                r => import.AddUnrevisionedHistory(SettingKinds.Mirror, r.GetString(0), SqliteStateDatabase.ReadTimestamp(r, 1), r.GetString(2), r.GetString(3), "api", Text(r, 4), Text(r, 5), Text(r, 6)));
        }

        if (tables.Contains("cluster_isolations"))
        {
            Read(connection, transaction, "SELECT cluster_id, reason, actor, at FROM cluster_isolations",
                r => import.AddUnrevisioned(SettingKinds.Isolation, r.GetString(0), StateJson.Write(new ManualIsolation(r.GetString(0), Text(r, 1), r.GetString(2), SqliteStateDatabase.ReadTimestamp(r, 3)))!));
            Read(connection, transaction, "SELECT cluster_id, at, actor, action, reason FROM isolation_history ORDER BY id",
                r => import.AddUnrevisionedHistory(SettingKinds.Isolation, r.GetString(0), SqliteStateDatabase.ReadTimestamp(r, 1), r.GetString(2), r.GetString(3), "api", null, null, Text(r, 4)));
        }

        if (tables.Contains("rollouts"))
        {
            Read(connection, transaction, "SELECT route_id, state FROM rollouts", r => import.AddUnrevisioned(SettingKinds.Rollout, r.GetString(0), r.GetString(1)));
        }

        var (settings, history) = import.Build();
        foreach (var setting in settings)
        {
            SqliteStateDatabase.Execute(connection, transaction, "INSERT INTO settings (kind, id, revision, value) VALUES ($kind, $id, $revision, $value)",
                ("$kind", setting.Key.Kind), ("$id", setting.Key.Id), ("$revision", setting.Revision), ("$value", setting.Value));
        }

        foreach (var change in history)
        {
            SqliteStateRepository.WriteChange(connection, transaction, change);
        }

        SqliteStateDatabase.Execute(connection, transaction, $"PRAGMA user_version = {SqliteStateRepository.SchemaVersion}");
    }

    private static void Read(SqliteConnection connection, SqliteTransaction transaction, string sql, Action<SqliteDataReader> row) =>
        SqliteStateDatabase.Query(connection, transaction, sql, r =>
        {
            row(r);
            return true;
        });

    private static string? Text(SqliteDataReader reader, int ordinal) => SqliteStateDatabase.ReadText(reader, ordinal);
}
