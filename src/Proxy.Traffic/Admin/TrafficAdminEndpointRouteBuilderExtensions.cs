using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Proxy.Traffic.Admin.Api;
using Proxy.Traffic.Admin.Listener;
using Proxy.Traffic.Events;

namespace Proxy.Traffic.Admin;

/// <summary>Maps the admin API.</summary>
public static class TrafficAdminEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the admin API (<c>/api/...</c>, <c>/healthz</c>, <c>/readyz</c>, <c>/openapi/v1.json</c>). Its endpoints answer
    /// only on listeners marked with <see cref="AdminListenOptionsExtensions.UseTrafficAdminListener"/>.
    /// </summary>
    public static IEndpointConventionBuilder MapTrafficAdmin(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("").WithMetadata(AdminEndpointMetadata.Instance).AddEndpointFilter(StateUnavailableFilter.InvokeAsync)
            .AddEndpointFilter(WebConsole.ConsoleRequestForgeryFilter.InvokeAsync);
        admin.MapRoutesApi();
        admin.MapRouteChangesApi();
        admin.MapClustersApi();
        admin.MapMirrorApi();
        admin.MapFleetApi();
        admin.MapConfigApi();
        admin.MapRolloutsApi();
        admin.MapRolloutTemplatesApi();
        admin.MapExperimentsApi();
        admin.MapFlagsApi();
        admin.MapOfrepApi();
        admin.MapCertificatesApi();
        admin.MapEventsApi();
        admin.MapTrafficApi();
        admin.MapProbesApi();
        admin.MapOpenApi();

        // Anything else on the admin listener: a problem answer rather than an empty 404.
        admin.MapFallback("{**path}", (HttpRequest request) => AdminProblems.NotFound(request.Path)).ExcludeFromDescription();
        return admin;
    }
}
