using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Proxy.Traffic.Admin.Auth;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Events;

/// <summary><c>GET /api/routes/{id}/traffic</c>: the last 15 minutes of samples of each of a route's clusters.</summary>
public static class TrafficApi
{
    /// <summary>Maps <c>GET /api/routes/{id}/traffic</c> (Viewer).</summary>
    public static IEndpointRouteBuilder MapTrafficApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/routes/{id}/traffic", GetTraffic).WithTags("Routes").RequireAuthorization(AdminAuthorization.ReadPolicy)
            .WithName("GetRouteTraffic").WithSummary("Requests, failures and p99 per cluster of the route, one sample per interval over the last 15 minutes.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    public static Results<Ok<Dictionary<string, IReadOnlyList<TrafficPoint>>>, ProblemHttpResult> GetTraffic(string id, SplitStore store, TrafficHistory history)
    {
        if (!store.TryGetSnapshot(id, out var split))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Route not found", detail: $"Route '{id}' has no traffic split.");
        }

        return TypedResults.Ok(split.ClusterIds.ToDictionary(c => c, history.Of, StringComparer.Ordinal));
    }
}
