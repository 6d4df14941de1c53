using Proxy.Traffic.Rollouts;

namespace Proxy.Traffic.State;

/// <summary>The rollout kind's typed view of stored settings: a route's latest <see cref="RolloutState"/>; its audit entries record where the rollout stands.</summary>
internal static class RolloutSetting
{
    public static SettingKey Key(string routeId) => new(SettingKinds.Rollout, routeId);

    public static RolloutState? Read(StoredSetting setting) => StateJson.Read(setting.Value, StateJsonContext.Default.RolloutState);

    public static SettingChange Change(RolloutState saved, RolloutState? before, long revision) => new(
        Key(saved.RouteId), revision, saved.SavedAt, saved.Actor, "rollout-" + saved.Phase.ToString().ToLowerInvariant(), "rollout",
        Summary(before), Summary(saved), saved.Events.Count > 0 ? saved.Events[^1].Message : null);

    private static string? Summary(RolloutState? rollout) => rollout is null
        ? null
        : StateJson.Write(new RolloutSummaryDocument(rollout.Id, rollout.Phase, rollout.Step), StateJsonContext.Default.RolloutSummaryDocument);
}
