using Proxy.Traffic.Flags;

namespace Proxy.Traffic.State;

/// <summary>The flag kind's typed view of stored settings: a flag's <see cref="FlagOverride"/> and its <see cref="FlagChange"/> trail.</summary>
internal static class FlagSetting
{
    public static SettingKey Key(string name) => new(SettingKinds.Flag, name);

    public static string? Write(FlagOverride? setting) => StateJson.Write(setting, StateJsonContext.Default.FlagOverride);

    /// <summary>The runtime setting, or null when there is none (reset: the file's flag applies).</summary>
    public static FlagOverride? Read(StoredSetting setting) => StateJson.Read(setting.Value, StateJsonContext.Default.FlagOverride);

    public static SettingChange Change(FlagChange change, long revision) => new(
        Key(change.Name), revision, change.At, change.Actor, change.Action, change.Actor == SplitActions.ConfigActor ? "config" : "api",
        StateJson.Write(change.Before, StateJsonContext.Default.FlagState), StateJson.Write(change.After, StateJsonContext.Default.FlagState), change.Reason);

    public static FlagChange Read(SettingChange change) => new(
        change.Key.Id, change.At, change.Actor, change.Action,
        StateJson.Read(change.Before, StateJsonContext.Default.FlagState), StateJson.Read(change.After, StateJsonContext.Default.FlagState), change.Reason);
}
