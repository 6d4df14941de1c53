using Microsoft.AspNetCore.Http.HttpResults;
using Proxy.DemoBackend.Json;

namespace Proxy.DemoBackend.Endpoints;

/// <summary><c>/_demo/stats</c>: read (GET) or reset (DELETE) the request counters.</summary>
internal static class StatsApi
{
    public static IEndpointRouteBuilder MapStatsApi(this IEndpointRouteBuilder endpoints, DemoUpstreamServer server)
    {
        endpoints.MapGet("/_demo/stats", Ok<DemoStatsDocument> () => TypedResults.Ok(DemoStatsDocument.From(server)));
        endpoints.MapDelete("/_demo/stats", Ok<DemoStatsDocument> () =>
        {
            server.Stats.Reset();
            return TypedResults.Ok(DemoStatsDocument.From(server));
        });
        return endpoints;
    }
}
