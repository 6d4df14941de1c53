namespace Proxy.Traffic.State;

/// <summary>The mirror kind's typed view of stored settings: a route's <see cref="MirrorOverride"/> and its <see cref="MirrorChange"/> trail.</summary>
internal static class MirrorSetting
{
    public static SettingKey Key(string routeId) => new(SettingKinds.Mirror, routeId);

    public static string Write(MirrorOverride setting) => StateJson.Write(setting, StateJsonContext.Default.MirrorOverride);

    /// <summary>The runtime setting, or null when there is none (removed: the file's mirror applies).</summary>
    public static MirrorOverride? Read(StoredSetting setting) => StateJson.Read(setting.Value, StateJsonContext.Default.MirrorOverride);

    public static SettingChange Change(MirrorChange change, long revision) => new(
        Key(change.RouteId), revision, change.At, change.Actor, change.Action, change.Actor == SplitActions.ConfigActor ? "config" : "api",
        StateJson.Write(change.Before), StateJson.Write(change.After), change.Reason);

    public static MirrorChange Read(SettingChange change) => new(
        change.Key.Id, change.At, change.Actor, change.Action, StateJson.ReadMirror(change.Before), StateJson.ReadMirror(change.After), change.Reason)
    {
        Revision = change.Revision,
    };
}
