using Microsoft.Data.Sqlite;
using static Proxy.Traffic.State.SqliteStateRepository;

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
        if (Query(connection, transaction, "PRAGMA user_version", r => r.GetInt64(0))[0] >= SchemaVersion)
        {
            return;
        }

        var tables = Query(connection, transaction, "SELECT name FROM sqlite_master WHERE type = 'table'", r => r.GetString(0)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var import = new LegacyStateImport();
        void Read(string table, string sql, Action<SqliteDataReader> row)
        {
            if (tables.Contains(table))
            {
                Query(connection, transaction, sql, r =>
                {
                    row(r);
                    return true;
                });
            }
        }

        Read("route_splits", "SELECT route_id, revision, current, configured FROM route_splits", r => import.AddSplit(r.GetString(0), r.GetInt64(1), r[2] as string, r[3] as string));
        Read("split_history", "SELECT route_id, revision, at, actor, action, source, before, after, reason FROM split_history",
            r => import.AddSplitHistory(r.GetString(0), r.GetInt64(1), ReadTimestamp(r, 2), r.GetString(3), r.GetString(4), r.GetString(5), r[6] as string, r[7] as string, r[8] as string));
        Read("route_mirrors", "SELECT route_id, mirror, configured FROM route_mirrors",
            r => import.AddUnrevisioned(SettingKinds.Mirror, r.GetString(0), MirrorSetting.Write(new(r.GetString(0), StateJson.ReadMirror(r[1] as string), StateJson.ReadMirror(r[2] as string)))));
        Read("mirror_history", "SELECT route_id, at, actor, action, before, after, reason FROM mirror_history ORDER BY id",
            r => import.AddUnrevisionedHistory(SettingKinds.Mirror, r.GetString(0), ReadTimestamp(r, 1), r.GetString(2), r.GetString(3), "api", r[4] as string, r[5] as string, r[6] as string));
        Read("cluster_isolations", "SELECT cluster_id, reason, actor, at FROM cluster_isolations",
            r => import.AddUnrevisioned(SettingKinds.Isolation, r.GetString(0), StateJson.Write(new ManualIsolation(r.GetString(0), r[1] as string, r.GetString(2), ReadTimestamp(r, 3)))!));
        Read("isolation_history", "SELECT cluster_id, at, actor, action, reason FROM isolation_history ORDER BY id",
            r => import.AddUnrevisionedHistory(SettingKinds.Isolation, r.GetString(0), ReadTimestamp(r, 1), r.GetString(2), r.GetString(3), "api", null, null, r[4] as string));
        Read("rollouts", "SELECT route_id, state FROM rollouts", r => import.AddUnrevisioned(SettingKinds.Rollout, r.GetString(0), r.GetString(1)));

        var (settings, history) = import.Build();
        foreach (var setting in settings)
        {
            WriteSetting(connection, transaction, setting, insert: true);
        }

        foreach (var change in history)
        {
            WriteChange(connection, transaction, change);
        }

        Execute(connection, transaction, $"PRAGMA user_version = {SchemaVersion}");
    }
}
