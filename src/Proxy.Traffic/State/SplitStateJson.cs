using System.Text.Json;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.State;

/// <summary>The JSON form of a <see cref="SplitState"/> in storage: <c>{"stable":"blue","weights":{"blue":9000,"canary":1000}}</c> (basis points, in order).</summary>
internal static class SplitStateJson
{
    public static string? Write(SplitState? state)
    {
        if (state is null)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("stable", state.Stable);
            writer.WriteStartObject("weights");
            foreach (var weight in state.Weights)
            {
                writer.WriteNumber(weight.ClusterId, weight.BasisPoints);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static SplitState? Read(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var weights = root.GetProperty("weights").EnumerateObject().Select(p => new ClusterWeight(p.Name, p.Value.GetInt32())).ToArray();
        return new SplitState(root.GetProperty("stable").GetString()!, weights);
    }
}
