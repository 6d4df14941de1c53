using Proxy.Traffic.Experiments;

namespace Proxy.Traffic.State;

/// <summary>
/// The experiment kind's typed view of stored settings: an experiment's <see cref="ExperimentStatus"/> (stopped, promoted),
/// keyed <c>route/name</c>; its audit trail is the statuses it went through.
/// </summary>
internal static class ExperimentSetting
{
    public static SettingKey Key(string routeId, string name) => new(SettingKinds.Experiment, $"{routeId}/{name}");

    public static string? Write(ExperimentStatus? status) => StateJson.Write(status, StateJsonContext.Default.ExperimentStatus);

    public static ExperimentStatus? Read(StoredSetting setting) => StateJson.Read(setting.Value, StateJsonContext.Default.ExperimentStatus);

    public static SettingChange Change(ExperimentStatus? before, ExperimentStatus after, long revision) => new(
        Key(after.RouteId, after.Name), revision, after.At, after.Actor, after.State, "api", Write(before), Write(after), after.Reason);

    /// <summary>The status an audit entry recorded.</summary>
    public static ExperimentStatus? Read(SettingChange change) => StateJson.Read(change.After, StateJsonContext.Default.ExperimentStatus);
}
