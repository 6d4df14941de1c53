using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Proxy.Traffic.Mirroring;
using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.State;

/// <summary>Reads and writes persisted values through <see cref="StateJsonContext"/>.</summary>
internal static class StateJson
{
    // Null (a removed setting, an audit entry's missing before or after) stays null both ways.
    [return: NotNullIfNotNull(nameof(value))]
    public static string? Write<T>(T? value, JsonTypeInfo<T> type)
        where T : class => value is null ? null : JsonSerializer.Serialize(value, type);

    [return: NotNullIfNotNull(nameof(json))]
    public static T? Read<T>(string? json, JsonTypeInfo<T> type)
        where T : class => json is null ? null : JsonSerializer.Deserialize(json, type) ?? throw new JsonException($"A stored {typeof(T).Name} is null.");

    public static string? Write(SplitState? state) => state is null ? null : Write(Document(state), StateJsonContext.Default.SplitStateDocument);

    public static SplitState? ReadSplitState(string? json) => State(Read(json, StateJsonContext.Default.SplitStateDocument));

    public static string? Write(MirrorSettings? mirror) => Write(mirror, StateJsonContext.Default.MirrorSettings);

    public static MirrorSettings? ReadMirror(string? json) => Read(json, StateJsonContext.Default.MirrorSettings);

    public static string? Write(ManualIsolation? isolation) => Write(isolation, StateJsonContext.Default.ManualIsolation);

    public static ManualIsolation? ReadIsolation(string? json) => Read(json, StateJsonContext.Default.ManualIsolation);

    public static string Write(RolloutState rollout) => Write(rollout, StateJsonContext.Default.RolloutState);

    public static RolloutState ReadRollout(string json) => Read(json, StateJsonContext.Default.RolloutState);

    /// <summary>A short hash of a plan: equal for equal plans, across restarts (and across versions: the JSON is main's).</summary>
    public static string Fingerprint(RolloutPlan plan) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(plan, StateJsonContext.Default.RolloutPlan)))[..16];

    public static SplitStateDocument Document(SplitState state)
    {
        var weights = new OrderedDictionary<string, int>(state.Weights.Count, StringComparer.Ordinal);
        foreach (var weight in state.Weights)
        {
            weights.Add(weight.ClusterId, weight.BasisPoints);
        }

        return new SplitStateDocument(state.Stable, weights);
    }

    public static SplitState? State(SplitStateDocument? document) =>
        document is null ? null : new SplitState(document.Stable, [.. document.Weights.Select(w => new ClusterWeight(w.Key, w.Value))]);
}
