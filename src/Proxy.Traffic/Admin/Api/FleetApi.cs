using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Proxy.Traffic.Admin.Auth;
using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Admin.Api;

/// <summary>The fleet view: each instance sharing the state store, its applied revisions and its breakers.</summary>
public static class FleetApi
{
    /// <summary>Maps <c>GET /api/fleet</c>.</summary>
    public static IEndpointRouteBuilder MapFleetApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/fleet", GetFleet).WithTags("Fleet").RequireAuthorization(AdminAuthorization.ReadPolicy)
            .WithName("GetFleet").WithSummary("Every instance's applied revisions and breakers; per route, how many instances are at the latest revision.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return endpoints;
    }

    public static async Task<Results<Ok<FleetResponse>, ProblemHttpResult>> GetFleet(
        IStateRepository repository, LocalInstanceReport local, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return TypedResults.Ok(FleetResponse.From(repository.IsShared ? await repository.GetReportsAsync(cancellationToken).ConfigureAwait(false) : [local.Build()]));
    }
}
