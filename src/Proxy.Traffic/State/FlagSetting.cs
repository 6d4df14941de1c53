using Proxy.Traffic.Flags;

namespace Proxy.Traffic.State;

/// <summary>The flag kind's typed view of stored settings: a flag's <see cref="FlagOverride"/> and its <see cref="FlagChange"/> trail.</summary>
internal static class FlagSetting
{
    public static SettingKey Key(string name) => new(SettingKinds.Flag, name);

    public static string Write(FlagOverride setting) => StateJson.Write(setting, StateJsonContext.Default.FlagOverride);

    /// <summary>The runtime setting, or null when there is none (reset: the file's flag applies).</summary>
    public static FlagOverride? Read(StoredSetting setting) => setting.Value is null ? null : StateJson.Read(setting.Value, StateJsonContext.Default.FlagOverride);

    public static SettingChange Change(FlagChange change, long revision) => new(
        Key(change.Name), revision, change.At, change.Actor, change.Action, change.Actor == SplitActions.ConfigActor ? "config" : "api",
        Write(change.Before), Write(change.After), change.Reason);

    public static FlagChange Read(SettingChange change) => new(
        change.Key.Id, change.At, change.Actor, change.Action, ReadState(change.Before), ReadState(change.After), change.Reason);

    private static string? Write(FlagState? state) => state is null ? null : StateJson.Write(state, StateJsonContext.Default.FlagState);

    private static FlagState? ReadState(string? json) => json is null ? null : StateJson.Read(json, StateJsonContext.Default.FlagState);
}
