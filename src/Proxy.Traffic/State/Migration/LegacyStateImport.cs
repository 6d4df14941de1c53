namespace Proxy.Traffic.State.Migration;

/// <summary>
/// Turns what main wrote before issue 16 (a store per kind) into settings and audit entries of the one model. Splits keep
/// their revisions; mirrors and isolations, which had none, get one per audit entry (oldest is 1), so their history and
/// ETags start where their trail does; a rollout starts at revision 1. Values keep main's JSON, which the new code reads.
/// </summary>
internal sealed class LegacyStateImport
{
    private readonly Dictionary<SettingKey, StoredSetting> _settings = [];
    private readonly Dictionary<SettingKey, List<LegacyEntry>> _numbered = [];
    private readonly List<SettingChange> _history = [];

    /// <summary>A route's split record: its revision and main's JSON of the split in force and the file's split.</summary>
    public void AddSplit(string routeId, long revision, string? current, string? configured) =>
        _settings[new(SettingKinds.Split, routeId)] = new(new(SettingKinds.Split, routeId), revision, SplitSetting.Write(
            StateJson.ReadSplitState(current), StateJson.ReadSplitState(configured)));

    /// <summary>One revision of a route's split audit trail (before/after in main's JSON, which is also the new one).</summary>
    public void AddSplitHistory(string routeId, long revision, DateTimeOffset at, string actor, string action, string source, string? before, string? after, string? reason) =>
        _history.Add(new(new(SettingKinds.Split, routeId), revision, at, actor, action, source, before, after, reason));

    /// <summary>A setting main kept without a revision (a mirror override, an isolation, a rollout), as its JSON.</summary>
    public void AddUnrevisioned(string kind, string id, string value) => _settings[new(kind, id)] = new(new(kind, id), 0, value);

    /// <summary>An audit entry of a kind main kept without revisions; entries of one setting must come oldest first.</summary>
    public void AddUnrevisionedHistory(string kind, string id, DateTimeOffset at, string actor, string action, string source, string? before, string? after, string? reason)
    {
        var key = new SettingKey(kind, id);
        if (!_numbered.TryGetValue(key, out var entries))
        {
            _numbered[key] = entries = [];
        }

        entries.Add(new(at, actor, action, source, before, after, reason));
    }

    /// <summary>Every setting and audit entry, revisions numbered.</summary>
    public (IReadOnlyList<StoredSetting> Settings, IReadOnlyList<SettingChange> History) Build()
    {
        var history = new List<SettingChange>(_history);
        var settings = new Dictionary<SettingKey, StoredSetting>(_settings);
        foreach (var (key, entries) in _numbered)
        {
            for (var i = 0; i < entries.Count; i++)
            {
                var e = entries[i];
                history.Add(new(key, i + 1, e.At, e.Actor, e.Action, e.Source, e.Before, e.After, e.Reason));
            }

            // A setting removed before the upgrade (a reset isolation, a cleared mirror) keeps its trail and its count.
            settings[key] = settings.TryGetValue(key, out var setting) ? setting with { Revision = entries.Count } : new(key, entries.Count, null);
        }

        return ([.. settings.Values.Select(s => s.Revision == 0 ? s with { Revision = 1 } : s)], history);
    }

    private sealed record LegacyEntry(DateTimeOffset At, string Actor, string Action, string Source, string? Before, string? After, string? Reason);
}
