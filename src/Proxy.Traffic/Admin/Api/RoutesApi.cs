using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Proxy.Traffic.Admin.Auth;
using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Admin.Api;

/// <summary>Reads: every route's split, one route's split (with its revision as ETag), a route's audit trail.</summary>
public static class RoutesApi
{
    private const int MaxHistoryLimit = 1000;

    /// <summary>Maps <c>GET /api/routes</c>, <c>GET /api/routes/{id}</c> and <c>GET /api/routes/{id}/history</c>.</summary>
    public static IEndpointRouteBuilder MapRoutesApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/routes").WithTags("Routes").RequireAuthorization(AdminAuthorization.ReadPolicy);
        api.MapGet("/", ListRoutes).WithName("ListRoutes").WithSummary("Every route's split, health and breaker state.");
        api.MapGet("/{id}", GetRoute).WithName("GetRoute").WithSummary("One route's split; its revision is the ETag.").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id}/history", GetHistory).WithName("GetRouteHistory").WithSummary("The route's audit trail, newest first.").ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return endpoints;
    }

    public static Ok<RouteResponse[]> ListRoutes(SplitStore store, RouteStateProjection projection) =>
        TypedResults.Ok(store.GetAll().OrderBy(s => s.RouteId, StringComparer.Ordinal).Select(projection.Describe).ToArray());

    public static Results<Ok<RouteResponse>, ProblemHttpResult> GetRoute(string id, HttpResponse response, SplitStore store, RouteStateProjection projection)
    {
        if (!store.TryGetSnapshot(id, out var split))
        {
            return AdminProblems.RouteNotFound(id);
        }

        response.Headers.ETag = RevisionETag.Format(split.Revision);
        return TypedResults.Ok(projection.Describe(split));
    }

    public static async Task<Results<Ok<HistoryEntryResponse[]>, ProblemHttpResult, ValidationProblem>> GetHistory(
        string id, int? limit, SplitStore store, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxHistoryLimit)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"must be between 1 and {MaxHistoryLimit}"] });
        }

        if (!store.TryGetSnapshot(id, out _))
        {
            return AdminProblems.RouteNotFound(id);
        }

        var history = await store.GetHistoryAsync(id, limit ?? AdminHistory.DefaultLimit, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(history.Select(HistoryEntryResponse.From).ToArray());
    }
}
