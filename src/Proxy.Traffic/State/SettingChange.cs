namespace Proxy.Traffic.State;

/// <summary>One audit entry: what one revision of a setting changed, when, by whom and why.</summary>
/// <param name="Key">The setting.</param>
/// <param name="Revision">The revision the change created.</param>
/// <param name="At">When it was made.</param>
/// <param name="Actor">An API key's name, <c>config</c> or <c>rollout</c>.</param>
/// <param name="Action">What was done (each kind's actions, e.g. <see cref="SplitActions"/>).</param>
/// <param name="Source">Where the change came from (<c>api</c>, <c>config</c>, <c>rollout</c>).</param>
/// <param name="Before">The kind's view of the setting before (JSON), or null.</param>
/// <param name="After">The kind's view after (JSON), or null.</param>
/// <param name="Reason">The operator's reason, if given.</param>
public sealed record SettingChange(
    SettingKey Key, long Revision, DateTimeOffset At, string Actor, string Action, string Source, string? Before, string? After, string? Reason);

/// <summary>A setting's new persisted state and the audit entry that explains it, committed together.</summary>
public sealed record SettingCommit(StoredSetting Setting, SettingChange Change);

/// <summary>Every persisted setting and, read with them in one step, the generation of that state (null when there is none).</summary>
public sealed record PersistedState(string? Generation, IReadOnlyList<StoredSetting> Settings);
