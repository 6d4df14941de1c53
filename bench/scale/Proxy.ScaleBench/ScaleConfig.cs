using System.Text.Json;

namespace Proxy.ScaleBench;

/// <summary>Writes a gateway configuration with N routes, each split 90/0/10 over its own blue, green and canary cluster.</summary>
internal static class ScaleConfig
{
    /// <summary>Route i matches <c>/r{i}/…</c>; clusters point at the given blue, green and canary upstream ports.</summary>
    public static void Write(string path, int routes, int bluePort, int greenPort, int canaryPort)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteStartObject("ReverseProxy");

        json.WriteStartObject("Routes");
        for (var i = 0; i < routes; i++)
        {
            json.WriteStartObject($"r{i}");
            json.WriteString("ClusterId", $"r{i}-blue");
            json.WriteStartObject("Match");
            json.WriteString("Path", $"/r{i}/{{**rest}}");
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndObject();

        // No active health checks: 3,000 probes every few seconds would be load of their own, not per-request cost.
        json.WriteStartObject("Clusters");
        for (var i = 0; i < routes; i++)
        {
            foreach (var (version, port) in new[] { ("blue", bluePort), ("green", greenPort), ("canary", canaryPort) })
            {
                json.WriteStartObject($"r{i}-{version}");
                json.WriteStartObject("Destinations");
                json.WriteStartObject($"{version}-1");
                json.WriteString("Address", $"http://127.0.0.1:{port}/");
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndObject();
            }
        }

        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartObject("TrafficSplit");
        json.WriteString("ServedByHeader", "X-Proxy-Cluster");
        json.WriteStartObject("Routes");
        for (var i = 0; i < routes; i++)
        {
            json.WriteStartObject($"r{i}");
            json.WriteString("Stable", $"r{i}-blue");
            json.WriteStartObject("Weights");
            json.WriteNumber($"r{i}-blue", 90);
            json.WriteNumber($"r{i}-green", 0);
            json.WriteNumber($"r{i}-canary", 10);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
