using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Proxy.Traffic.Admin.Auth;
using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Rollouts.Templates;

namespace Proxy.Traffic.Admin.Api;

/// <summary>The rollout templates in force (<c>TrafficSplit:RolloutTemplates</c>), which a rollout names with <c>"template"</c>.</summary>
public static class RolloutTemplatesApi
{
    /// <summary>Maps <c>GET /api/rollout-templates</c>.</summary>
    public static IEndpointRouteBuilder MapRolloutTemplatesApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/rollout-templates", GetAll).RequireAuthorization(AdminAuthorization.ReadPolicy).WithTags("Rollouts")
            .WithName("GetRolloutTemplates").WithSummary("The rollout templates of the configuration in force, by name, as written.");
        return endpoints;
    }

    public static Ok<SortedDictionary<string, StartRolloutRequest>> GetAll(RolloutTemplateStore templates) =>
        TypedResults.Ok(new SortedDictionary<string, StartRolloutRequest>(templates.All.ToDictionary(), StringComparer.Ordinal));
}
