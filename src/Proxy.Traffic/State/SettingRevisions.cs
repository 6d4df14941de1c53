namespace Proxy.Traffic.State;

/// <summary>The compare-and-set rule every backend applies to a batch before writing any of it.</summary>
internal static class SettingRevisions
{
    /// <summary>
    /// Throws <see cref="StateConflictException"/> unless each commit's revision follows the setting's persisted one by
    /// exactly one (a batch may move one setting several times, in order).
    /// </summary>
    public static void Check(IReadOnlyList<SettingCommit> commits, Func<SettingKey, long> persisted)
    {
        ArgumentNullException.ThrowIfNull(commits);
        var pending = new Dictionary<SettingKey, long>();
        foreach (var (setting, _) in commits)
        {
            var current = pending.TryGetValue(setting.Key, out var revision) ? revision : persisted(setting.Key);
            if (setting.Revision != current + 1)
            {
                throw StateConflictException.For(setting.Key, setting.Revision);
            }

            pending[setting.Key] = setting.Revision;
        }
    }
}
