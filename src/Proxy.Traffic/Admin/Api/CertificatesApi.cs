using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Proxy.Traffic.Admin.Auth;
using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.Tls;

namespace Proxy.Traffic.Admin.Api;

/// <summary>The server certificates the TLS listeners use, for expiry checks.</summary>
public static class CertificatesApi
{
    /// <summary>Maps <c>GET /api/certificates</c>.</summary>
    public static IEndpointRouteBuilder MapCertificatesApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/certificates", GetCertificates).WithTags("Certificates").RequireAuthorization(AdminAuthorization.ReadPolicy)
            .WithName("GetCertificates").WithSummary("Every server certificate in use (default and per SNI host): subject, DNS names, serial, expiry.");
        return endpoints;
    }

    // An application without TLS listeners may not register the store (null here): it has no certificates.
    public static Ok<CertificateResponse[]> GetCertificates([FromServices] ServerCertificateStore? store, TimeProvider timeProvider)
    {
        var now = timeProvider.GetUtcNow();
        return TypedResults.Ok(store?.Current.Select(c => CertificateResponse.From(c, now)).ToArray() ?? []);
    }
}
