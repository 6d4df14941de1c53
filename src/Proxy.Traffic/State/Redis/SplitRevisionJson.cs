using System.Globalization;
using System.Text.Json;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.State.Redis;

/// <summary>The JSON form of one audit entry, as a member of a route's history in Redis.</summary>
internal static class SplitRevisionJson
{
    public static string Write(SplitRevision entry)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("route", entry.RouteId);
            writer.WriteNumber("revision", entry.Revision);
            writer.WriteString("at", entry.At.ToString("O", CultureInfo.InvariantCulture));
            writer.WriteString("actor", entry.Actor);
            writer.WriteString("action", entry.Action);
            writer.WriteString("source", entry.Source.ToString().ToLowerInvariant());
            WriteState(writer, "before", entry.Before);
            WriteState(writer, "after", entry.After);
            writer.WriteString("reason", entry.Reason);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static SplitRevision Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new SplitRevision(
            root.GetProperty("route").GetString()!,
            root.GetProperty("revision").GetInt64(),
            DateTimeOffset.Parse(root.GetProperty("at").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            root.GetProperty("actor").GetString()!,
            root.GetProperty("action").GetString()!,
            Enum.Parse<SplitChangeSource>(root.GetProperty("source").GetString()!, ignoreCase: true),
            ReadState(root, "before"),
            ReadState(root, "after"),
            root.GetProperty("reason").GetString());
    }

    private static void WriteState(Utf8JsonWriter writer, string name, SplitState? state)
    {
        writer.WritePropertyName(name);
        if (SplitStateJson.Write(state) is { } json)
        {
            writer.WriteRawValue(json);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static SplitState? ReadState(JsonElement root, string name)
    {
        var element = root.GetProperty(name);
        return element.ValueKind == JsonValueKind.Null ? null : SplitStateJson.Read(element.GetRawText());
    }
}
