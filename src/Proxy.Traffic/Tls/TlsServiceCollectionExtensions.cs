using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Proxy.Traffic.Tls;

/// <summary>Registers the server certificates (default and per SNI host), their renewal watcher and metrics.</summary>
public static class TlsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ServerCertificateStore"/> (from <c>Kestrel:Certificates:Default</c> and <c>Proxy:Tls:Hosts</c>),
    /// the watcher that applies renewed files and <see cref="TlsMetrics"/>. The store is loaded at start, so a certificate
    /// that cannot be used stops the start-up.
    /// </summary>
    public static IServiceCollection AddServerCertificates(this IServiceCollection services)
    {
        services.AddOptions<TlsOptions>().BindConfiguration(TlsOptions.SectionName)
            .Validate(o => o.ReloadInterval >= TimeSpan.FromMilliseconds(100) && o.ReloadInterval <= TimeSpan.FromHours(1),
                $"{TlsOptions.SectionName}:{nameof(TlsOptions.ReloadInterval)}: must be between 00:00:00.1 and 01:00:00")
            .Validate(o => o.HttpsRedirectPort is null or (> 0 and <= 65535), $"{TlsOptions.SectionName}:{nameof(TlsOptions.HttpsRedirectPort)}: must be a port between 1 and 65535")
            .Validate(o => o.HstsMaxAge is null || o.HstsMaxAge > TimeSpan.Zero, $"{TlsOptions.SectionName}:{nameof(TlsOptions.HstsMaxAge)}: must be positive")
            .ValidateOnStart();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ServerCertificateStore>();
        services.TryAddSingleton<TlsMetrics>();
        services.AddHostedService(sp =>
        {
            // Resolving the metrics here registers the gauges before the first scrape.
            sp.GetRequiredService<TlsMetrics>();
            return new CertificateRenewalWatcher(sp.GetRequiredService<ServerCertificateStore>(), sp.GetRequiredService<IOptions<TlsOptions>>(), sp.GetRequiredService<TimeProvider>());
        });
        return services;
    }

    /// <summary>Adds the proxy listeners' HTTPS redirect and HSTS (<c>Proxy:Tls:HttpsRedirectPort</c>, <c>Proxy:Tls:HstsMaxAge</c>), both off by default.</summary>
    public static IApplicationBuilder UseHttpsPolicy(this IApplicationBuilder app) => app.UseMiddleware<HttpsPolicyMiddleware>();
}
