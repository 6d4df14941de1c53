using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Proxy.Traffic.Admin.Auth;
using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.Mirroring;

namespace Proxy.Traffic.Admin.Api;

/// <summary>A route's answer differences: what the mirror's answers changed compared with the primary's, beyond noise.</summary>
public static class MirrorDiffsApi
{
    /// <summary>Maps <c>GET /api/routes/{id}/mirror/diffs</c> onto the route's mirror group.</summary>
    public static RouteGroupBuilder MapMirrorDiffsApi(this RouteGroupBuilder mirror)
    {
        mirror.MapGet("/diffs", GetDiffs).RequireAuthorization(AdminAuthorization.ReadPolicy)
            .WithName("GetRouteMirrorDiffs").WithSummary("How the mirror's answers differ from the primary's, per endpoint and field, beyond noise.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return mirror;
    }

    public static Results<Ok<MirrorDiffsResponse>, ProblemHttpResult> GetDiffs(string id, MirrorStore store) =>
        store.TryGet(id, out var route)
            ? TypedResults.Ok(MirrorDiffsResponse.From(route))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No mirror", detail: $"Route '{id}' has no mirror in force, so nothing is compared.");
}
