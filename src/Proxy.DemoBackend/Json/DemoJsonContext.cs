using System.Text.Json;
using System.Text.Json.Serialization;

namespace Proxy.DemoBackend.Json;

/// <summary>Source-generated JSON metadata for the demo upstream's documents (camelCase, no reflection).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(DemoFaultsDocument))]
[JsonSerializable(typeof(DemoStatsDocument))]
[JsonSerializable(typeof(UploadResult))]
internal sealed partial class DemoJsonContext : JsonSerializerContext;
