using System.Text.Json;
using System.Text.Json.Serialization;

namespace Proxy.Traffic.Rollouts.State;

/// <summary>The JSON form of a <see cref="RolloutState"/> in storage (camelCase, enums by name, durations as "00:00:30").</summary>
internal static class RolloutStateJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Write(RolloutState state) => JsonSerializer.Serialize(state, Options);

    /// <summary>A short hash of a plan: equal for equal plans, across restarts.</summary>
    public static string Fingerprint(RolloutPlan plan) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(plan, Options)))[..16];

    public static RolloutState Read(string json) =>
        JsonSerializer.Deserialize<RolloutState>(json, Options) ?? throw new JsonException("A stored rollout is null.");
}
