using System.Text.Json;
using System.Text.Json.Serialization;

namespace Proxy.Traffic.Events;

/// <summary>How event data is written: the admin API's camelCase JSON with enums as names, on one line.</summary>
internal static class EventJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}
