using System.Text.Json;
using System.Text.Json.Serialization;
using Proxy.Traffic.Mirroring;
using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Rollouts.Analysis;

namespace Proxy.Traffic.State;

/// <summary>
/// The one JSON context for everything the state store persists (camelCase, enums by camelCase name, durations as
/// <c>"00:00:30"</c>): the same forms main wrote before issue 16, so old SQLite files and Redis keys still read. Rollout
/// webhooks' payloads are written with it too: they describe the rollout in the form it is stored in.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    Converters = [typeof(CamelCaseEnum<RolloutPhase>), typeof(CamelCaseEnum<RolloutStrategy>), typeof(CamelCaseEnum<InconclusiveAction>), typeof(CamelCaseEnum<VerdictOutcome>)])]
[JsonSerializable(typeof(SplitStateDocument))]
[JsonSerializable(typeof(SplitSettingDocument))]
[JsonSerializable(typeof(LegacySplitRevisionDocument))]
[JsonSerializable(typeof(MirrorOverride))]
[JsonSerializable(typeof(MirrorSettings))]
[JsonSerializable(typeof(LegacyMirrorChangeDocument))]
[JsonSerializable(typeof(ManualIsolation))]
[JsonSerializable(typeof(LegacyIsolationChangeDocument))]
[JsonSerializable(typeof(RolloutState))]
[JsonSerializable(typeof(RolloutPlan))]
[JsonSerializable(typeof(RolloutSummaryDocument))]
[JsonSerializable(typeof(Rollouts.Webhooks.RolloutHookPayload))]
[JsonSerializable(typeof(StoredSettingDocument))]
[JsonSerializable(typeof(SettingChangeDocument))]
[JsonSerializable(typeof(InstanceReport))]
[JsonSerializable(typeof(Flags.FlagOverride))]
[JsonSerializable(typeof(Flags.FlagState))]
[JsonSerializable(typeof(Experiments.ExperimentStatus))]
internal sealed partial class StateJsonContext : JsonSerializerContext;

/// <summary>Enums by camelCase name, as main stored rollouts.</summary>
internal sealed class CamelCaseEnum<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.CamelCase)
    where T : struct, Enum;

/// <summary>A split's stable cluster and weights in storage: <c>{"stable":"blue","weights":{"blue":9000,"canary":1000}}</c> (basis points, in order).</summary>
internal sealed record SplitStateDocument(string Stable, OrderedDictionary<string, int> Weights);

/// <summary>The value of a split setting: the split in force and the file's split when it was last applied.</summary>
internal sealed record SplitSettingDocument(SplitStateDocument? Current, SplitStateDocument? Configured);

/// <summary>A rollout's audit view: which rollout, where it stands.</summary>
internal sealed record RolloutSummaryDocument(long Id, RolloutPhase Phase, int Step);

/// <summary>A persisted setting as the Redis backend keeps it.</summary>
internal sealed record StoredSettingDocument(string Kind, string Id, long Revision, string? Value);

/// <summary>An audit entry as the Redis backend keeps it.</summary>
internal sealed record SettingChangeDocument(
    string Kind, string Id, long Revision, DateTimeOffset At, string Actor, string Action, string Source, string? Before, string? After, string? Reason);

/// <summary>A split audit entry as main kept it in Redis (read by the migration only).</summary>
internal sealed record LegacySplitRevisionDocument(
    string Route, long Revision, DateTimeOffset At, string Actor, string Action, string Source, SplitStateDocument? Before, SplitStateDocument? After, string? Reason);

/// <summary>A mirror audit entry as main kept it in Redis (read by the migration only).</summary>
internal sealed record LegacyMirrorChangeDocument(string RouteId, DateTimeOffset At, string Actor, string Action, MirrorSettings? Before, MirrorSettings? After, string? Reason);

/// <summary>An isolation audit entry as main kept it in Redis (read by the migration only).</summary>
internal sealed record LegacyIsolationChangeDocument(string ClusterId, DateTimeOffset At, string Actor, string Action, string? Reason);
