using System.Diagnostics.Metrics;
using Proxy.Traffic.Telemetry;

namespace Proxy.Traffic.Tls;

/// <summary>
/// Certificate metrics (meter <see cref="TrafficTelemetry.MeterName"/>): seconds until each certificate in use expires
/// (<c>proxy.tls.certificate.expiry</c>, so an alert can fire 14 days ahead) and renewals applied and refused.
/// </summary>
public sealed class TlsMetrics
{
    /// <summary>Metric tag: the certificate's name (<c>Default</c> or the SNI host).</summary>
    public const string CertificateTag = "proxy.certificate";

    public TlsMetrics(IMeterFactory meterFactory, ServerCertificateStore store, TimeProvider timeProvider)
    {
        var meter = meterFactory.Create(TrafficTelemetry.MeterName);
        meter.CreateObservableGauge(
            "proxy.tls.certificate.expiry",
            () => store.Current.Select(c => new Measurement<double>(
                (c.Certificate.NotAfter.ToUniversalTime() - timeProvider.GetUtcNow().UtcDateTime).TotalSeconds,
                new KeyValuePair<string, object?>(CertificateTag, c.Source.Name),
                new KeyValuePair<string, object?>("proxy.certificate.serial", c.Certificate.SerialNumber))),
            "s",
            "Seconds until each server certificate in use expires (negative once expired), by certificate name and serial.");
        meter.CreateObservableCounter(
            "proxy.tls.certificate.renewals",
            () => new[]
            {
                new Measurement<long>(store.Renewals, new KeyValuePair<string, object?>("proxy.result", "applied")),
                new Measurement<long>(store.Refusals, new KeyValuePair<string, object?>("proxy.result", "refused")),
            },
            "{renewal}",
            "Changed certificate files applied, and refused (unreadable, key mismatch, expired, wrong password) with the old certificate kept.");
    }
}
