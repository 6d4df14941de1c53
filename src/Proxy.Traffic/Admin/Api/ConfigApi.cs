using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Proxy.Traffic.Admin.Auth;
using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.Configuration;

namespace Proxy.Traffic.Admin.Api;

/// <summary>The configuration's status: applied when, refused now or lately, and why.</summary>
public static class ConfigApi
{
    /// <summary>Maps <c>GET /api/config</c>.</summary>
    public static IEndpointRouteBuilder MapConfigApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/config", GetStatus).WithTags("Configuration").RequireAuthorization(AdminAuthorization.ReadPolicy)
            .WithName("GetConfigStatus").WithSummary("Whether the configuration on disk is in force; the latest refusal and its reasons.");
        return endpoints;
    }

    public static Ok<ConfigStatusResponse> GetStatus(TrafficSplitConfigState state) => TypedResults.Ok(ConfigStatusResponse.From(state));
}
