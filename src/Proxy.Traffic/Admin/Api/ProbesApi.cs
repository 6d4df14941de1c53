using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;

namespace Proxy.Traffic.Admin.Api;

/// <summary>Liveness and readiness probes (anonymous, admin listener only).</summary>
public static class ProbesApi
{
    /// <summary>The tag of the checks <c>/readyz</c> runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Maps <c>GET /healthz</c> (the process answers) and <c>GET /readyz</c> (configuration applied, state store reachable).</summary>
    public static IEndpointRouteBuilder MapProbesApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return endpoints;
    }
}
