using System.Globalization;
using StackExchange.Redis;
using Proxy.Traffic.State.Migration;

namespace Proxy.Traffic.State.Redis;

/// <summary>
/// Migrates a key space written before issue 16 into the one layout, once: the first instance to load finds
/// <c>{p}:revisions</c> missing and main's keys present, reads them, and writes settings and audit entries in one script
/// that does nothing when another instance was first. Main's keys are left as they were. The audit lists of settings
/// removed before the upgrade are found by a scan of the fleet's prefix (one slot, one node).
/// </summary>
internal sealed class RedisLegacyImport(RedisStateConnection connection)
{
    private readonly string _p = connection.Keys.LegacyPrefix;

    public async Task RunAsync()
    {
        var keys = connection.Keys;
        var migrated = await connection.CallAsync(db => db.KeyExistsAsync(keys.Revisions)).ConfigureAwait(false);
        if (migrated || await connection.CallAsync(db => db.KeyExistsAsync([$"{_p}:routes", $"{_p}:mirrors", $"{_p}:isolations", $"{_p}:rollouts"])).ConfigureAwait(false) == 0)
        {
            return;
        }

        var import = new LegacyStateImport();
        await connection.CallAsync(async db =>
        {
            foreach (var splitKey in await db.SetMembersAsync($"{_p}:routes").ConfigureAwait(false))
            {
                var fields = await db.HashGetAsync(splitKey.ToString(), ["route", "revision", "current", "configured"]).ConfigureAwait(false);
                var routeId = fields[0].ToString();
                import.AddSplit(routeId, long.Parse(fields[1].ToString(), CultureInfo.InvariantCulture), Text(fields[2]), Text(fields[3]));
                foreach (var member in await db.SortedSetRangeByRankAsync($"{_p}:history:{routeId.ToLowerInvariant()}").ConfigureAwait(false))
                {
                    var e = StateJson.Read(member.ToString(), StateJsonContext.Default.LegacySplitRevisionDocument);
                    import.AddSplitHistory(e.Route, e.Revision, e.At, e.Actor, e.Action, e.Source, Write(e.Before), Write(e.After), e.Reason);
                }
            }

            foreach (var entry in await db.HashGetAllAsync($"{_p}:mirrors").ConfigureAwait(false))
            {
                var mirror = StateJson.Read(entry.Value.ToString(), StateJsonContext.Default.MirrorOverride);
                import.AddUnrevisioned(SettingKinds.Mirror, mirror.RouteId, MirrorSetting.Write(mirror));
            }

            foreach (var entry in await db.HashGetAllAsync($"{_p}:isolations").ConfigureAwait(false))
            {
                var isolation = StateJson.ReadIsolation(entry.Value.ToString())!;
                import.AddUnrevisioned(SettingKinds.Isolation, isolation.ClusterId, StateJson.Write(isolation)!);
            }

            foreach (var entry in await db.HashGetAllAsync($"{_p}:rollouts").ConfigureAwait(false))
            {
                var rollout = StateJson.ReadRollout(entry.Value.ToString());
                import.AddUnrevisioned(SettingKinds.Rollout, rollout.RouteId, entry.Value.ToString());
            }

            foreach (var key in await ScanAsync($"{_p}:mirror-history:*").ConfigureAwait(false))
            {
                foreach (var item in (await db.ListRangeAsync(key).ConfigureAwait(false)).Reverse())
                {
                    var e = StateJson.Read(item.ToString(), StateJsonContext.Default.LegacyMirrorChangeDocument);
                    import.AddUnrevisionedHistory(SettingKinds.Mirror, e.RouteId, e.At, e.Actor, e.Action, "api", StateJson.Write(e.Before), StateJson.Write(e.After), e.Reason);
                }
            }

            foreach (var key in await ScanAsync($"{_p}:isolation-history:*").ConfigureAwait(false))
            {
                foreach (var item in (await db.ListRangeAsync(key).ConfigureAwait(false)).Reverse())
                {
                    var e = StateJson.Read(item.ToString(), StateJsonContext.Default.LegacyIsolationChangeDocument);
                    import.AddUnrevisionedHistory(SettingKinds.Isolation, e.ClusterId, e.At, e.Actor, e.Action, "api", null, null, e.Reason);
                }
            }
        }).ConfigureAwait(false);

        var (settings, history) = import.Build();
        await new RedisStateRepository(connection).WriteWholeAsync(settings, history, generation: "", "migrated by " + connection.InstanceName).ConfigureAwait(false);
    }

    private async Task<List<RedisKey>> ScanAsync(string pattern)
    {
        var found = new List<RedisKey>();
        await connection.CallAsync(async _ =>
        {
            foreach (var server in connection.Servers())
            {
                await foreach (var key in server.KeysAsync(pattern: pattern).ConfigureAwait(false))
                {
                    found.Add(key);
                }
            }
        }).ConfigureAwait(false);
        return found;
    }

    private static string? Text(RedisValue value) => value.IsNullOrEmpty ? null : value.ToString();

    private static string? Write(SplitStateDocument? state) => StateJson.Write(state, StateJsonContext.Default.SplitStateDocument);
}
