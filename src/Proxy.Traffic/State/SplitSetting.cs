using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.State;

/// <summary>The split kind's typed view of stored settings: <see cref="RouteSplitRecord"/> and <see cref="SplitRevision"/> in, settings and audit entries out.</summary>
internal static class SplitSetting
{
    public static SettingKey Key(string routeId) => new(SettingKinds.Split, routeId);

    public static string Write(SplitState? current, SplitState? configured) => StateJson.Write(
        new SplitSettingDocument(current is null ? null : StateJson.Document(current), configured is null ? null : StateJson.Document(configured)),
        StateJsonContext.Default.SplitSettingDocument);

    public static RouteSplitRecord Read(StoredSetting setting)
    {
        var value = StateJson.Read(setting.Value, StateJsonContext.Default.SplitSettingDocument);
        return new RouteSplitRecord(setting.Key.Id, setting.Revision, StateJson.State(value?.Current), StateJson.State(value?.Configured));
    }

    public static SettingCommit Commit(SplitCommit commit)
    {
        var (route, entry) = commit;
        return new SettingCommit(
            new StoredSetting(Key(route.RouteId), route.Revision, Write(route.Current, route.Configured)),
            new SettingChange(Key(entry.RouteId), entry.Revision, entry.At, entry.Actor, entry.Action, entry.Source.ToString().ToLowerInvariant(),
                StateJson.Write(entry.Before), StateJson.Write(entry.After), entry.Reason));
    }

    public static SplitRevision Revision(SettingChange change) => new(
        change.Key.Id,
        change.Revision,
        change.At,
        change.Actor,
        change.Action,
        Enum.Parse<SplitChangeSource>(change.Source, ignoreCase: true),
        StateJson.ReadSplitState(change.Before),
        StateJson.ReadSplitState(change.After),
        change.Reason);
}
