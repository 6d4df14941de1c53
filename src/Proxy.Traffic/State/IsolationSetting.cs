namespace Proxy.Traffic.State;

/// <summary>The isolation kind's typed view of stored settings: a cluster's <see cref="ManualIsolation"/> and its <see cref="IsolationChange"/> trail.</summary>
internal static class IsolationSetting
{
    public static SettingKey Key(string clusterId) => new(SettingKinds.Isolation, clusterId);

    /// <summary>The isolation, or null when the cluster was reset.</summary>
    public static ManualIsolation? Read(StoredSetting setting) => StateJson.ReadIsolation(setting.Value);

    public static SettingChange Change(IsolationChange change, long revision, ManualIsolation? before, ManualIsolation? after) => new(
        Key(change.ClusterId), revision, change.At, change.Actor, change.Action, "api", StateJson.Write(before), StateJson.Write(after), change.Reason);

    public static IsolationChange Read(SettingChange change) => new(change.Key.Id, change.At, change.Actor, change.Action, change.Reason)
    {
        Revision = change.Revision,
        Before = StateJson.ReadIsolation(change.Before),
        After = StateJson.ReadIsolation(change.After),
    };
}
