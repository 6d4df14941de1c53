using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
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

    public static Ok<CertificateResponse[]> GetCertificates(IServiceProvider services, TimeProvider timeProvider)
    {
        // An application without TLS listeners may not register the store: it has no certificates.
        var store = services.GetService<ServerCertificateStore>();
        var now = timeProvider.GetUtcNow();
        return TypedResults.Ok(store?.Current.Select(c => CertificateResponse.From(c, now)).ToArray() ?? []);
    }
}
