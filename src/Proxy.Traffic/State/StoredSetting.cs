namespace Proxy.Traffic.State;

/// <summary>One runtime setting as persisted.</summary>
/// <param name="Key">Kind and id.</param>
/// <param name="Revision">Its latest revision; each commit adds one, and revisions keep counting after a removal.</param>
/// <param name="Value">Its JSON (<see cref="StateJson"/>), or null once removed.</param>
public sealed record StoredSetting(SettingKey Key, long Revision, string? Value);
