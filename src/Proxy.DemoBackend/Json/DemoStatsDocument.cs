namespace Proxy.DemoBackend.Json;

/// <summary>The wire form of <c>GET /_demo/stats</c>.</summary>
internal sealed record DemoStatsDocument(string Version, string Instance, long Total, IReadOnlyDictionary<string, long> ByMethod)
{
    public static DemoStatsDocument From(DemoUpstreamServer server) =>
        new(server.Version, server.Instance, server.Stats.Total, server.Stats.ByMethod);
}
