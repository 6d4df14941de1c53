using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Proxy.Traffic.Tls;

/// <summary>
/// Checks the certificate files every <see cref="TlsOptions.ReloadInterval"/> and applies renewals. Polling the contents
/// rather than watching the directory catches every way a renewal lands: written in place, renamed over, or a symlink swap
/// (cert-manager, certbot's live/ links).
/// </summary>
public sealed class CertificateRenewalWatcher(ServerCertificateStore store, IOptions<TlsOptions> options, TimeProvider timeProvider) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!store.Current.Any(c => c.Source.IsFile))
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.ReloadInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                store.Refresh();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
