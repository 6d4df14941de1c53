using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Proxy.Traffic.Tls;

/// <summary>
/// The server certificates in use: the default one and one per SNI host name (exact, then one-label wildcard), loaded
/// at start-up (any failure refuses the start) and replaced, file by file, when <see cref="Refresh"/> sees a renewal.
/// A renewal that cannot be used is refused, logged and counted, and the certificate in force stays.
/// </summary>
public sealed partial class ServerCertificateStore
{
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ServerCertificateStore> _logger;
    private readonly Dictionary<string, string> _refusedFingerprints = new(StringComparer.Ordinal);
    private readonly Lock _refreshGate = new();
    private CertificateSet _set;
    private long _renewals;
    private long _refusals;

    /// <summary>Loads every configured certificate; throws a <see cref="CertificateLoadException"/> naming the first that cannot be used.</summary>
    public ServerCertificateStore(IConfiguration configuration, TimeProvider timeProvider, ILogger<ServerCertificateStore> logger)
    {
        _timeProvider = timeProvider;
        _logger = logger;
        var now = timeProvider.GetUtcNow();
        var loaded = new Dictionary<string, LoadedCertificate>(StringComparer.OrdinalIgnoreCase);
        foreach (var source in ReadSources(configuration))
        {
            var files = source.IsFile ? source.ReadFiles() : null;
            loaded[source.Name] = LoadedCertificate.Load(source, files, now);
        }

        _set = new CertificateSet(loaded);
    }

    /// <summary>True when a default certificate is configured (used for unknown and missing SNI names).</summary>
    public bool HasDefault => Volatile.Read(ref _set).Default is not null;

    /// <summary>True when no certificate at all is configured.</summary>
    public bool IsEmpty => Volatile.Read(ref _set).All.Count == 0;

    /// <summary>Every certificate in use, the default first.</summary>
    public IReadOnlyCollection<LoadedCertificate> Current => Volatile.Read(ref _set).All.Values;

    /// <summary>Renewals applied since start.</summary>
    public long Renewals => Interlocked.Read(ref _renewals);

    /// <summary>Renewals refused since start (each changed file counted once).</summary>
    public long Refusals => Interlocked.Read(ref _refusals);

    /// <summary>The certificate for a TLS handshake that asked for <paramref name="serverName"/> (SNI), or null when none fits.</summary>
    public X509Certificate2? Select(string? serverName) => Volatile.Read(ref _set).Select(serverName)?.Certificate;

    /// <summary>The certificate with its chain for a handshake that asked for <paramref name="serverName"/>, or null when none fits.</summary>
    public SslStreamCertificateContext? SelectContext(string? serverName) => Volatile.Read(ref _set).Select(serverName)?.Context;

    /// <summary>Raised when a certificate was renewed from its changed file, or the changed file was refused.</summary>
    public event Action<CertificateChange>? Changed;

    /// <summary>Re-reads every certificate file; applies those that changed and can be used. Never throws.</summary>
    /// <returns>How many certificates were replaced.</returns>
    public int Refresh()
    {
        lock (_refreshGate)
        {
            var set = Volatile.Read(ref _set);
            var changed = new Dictionary<string, LoadedCertificate>(set.All, StringComparer.OrdinalIgnoreCase);
            var replaced = 0;
            foreach (var current in set.All.Values.Where(c => c.Source.IsFile))
            {
                if (TryRenew(current) is { } renewed)
                {
                    changed[current.Source.Name] = renewed;
                    replaced++;
                }
            }

            if (replaced > 0)
            {
                Volatile.Write(ref _set, new CertificateSet(changed));
            }

            return replaced;
        }
    }

    private LoadedCertificate? TryRenew(LoadedCertificate current)
    {
        var source = current.Source;
        CertificateFiles files;
        try
        {
            files = source.ReadFiles();
        }
        catch (CertificateLoadException ex)
        {
            // A file missing or unreadable for a moment (a swap in progress) is reported once, not on every check.
            Refuse(source, "unreadable:" + ex.Message, ex.Message);
            return null;
        }

        if (files.Fingerprint == current.Fingerprint)
        {
            _refusedFingerprints.Remove(source.Name);
            return null;
        }

        try
        {
            var renewed = LoadedCertificate.Load(source, files, _timeProvider.GetUtcNow());
            _refusedFingerprints.Remove(source.Name);
            Interlocked.Increment(ref _renewals);
            var certificate = renewed.Certificate;
            var notAfter = certificate.NotAfter.ToUniversalTime();
            Log.Renewed(_logger, source.Name, certificate.Subject, certificate.SerialNumber, notAfter, current.Certificate.SerialNumber);
            Changed?.Invoke(new CertificateChange(source.Name, true, certificate.Subject, certificate.SerialNumber, new DateTimeOffset(notAfter, TimeSpan.Zero), null));
            return renewed;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Whatever a new file throws, the certificate in force stays and the watcher keeps running.
            Refuse(source, files.Fingerprint, ex is CertificateLoadException ? ex.Message : $"{source.Setting}: {ex.Message}");
            return null;
        }
    }

    private void Refuse(CertificateSource source, string fingerprint, string reason)
    {
        if (_refusedFingerprints.TryGetValue(source.Name, out var seen) && seen == fingerprint)
        {
            return;
        }

        _refusedFingerprints[source.Name] = fingerprint;
        Interlocked.Increment(ref _refusals);
        Log.Refused(_logger, source.Name, reason);
        Changed?.Invoke(new CertificateChange(source.Name, false, null, null, null, reason));
    }

    private static IEnumerable<CertificateSource> ReadSources(IConfiguration configuration)
    {
        var defaultSection = configuration.GetSection(TlsOptions.DefaultCertificateSection);
        if (Bind(defaultSection, TlsOptions.DefaultCertificateSection) is { IsEmpty: false } defaults)
        {
            yield return new CertificateSource(CertificateSource.DefaultName, TlsOptions.DefaultCertificateSection, defaults);
        }

        foreach (var host in configuration.GetSection(TlsOptions.SectionName + ":" + nameof(TlsOptions.Hosts)).GetChildren())
        {
            var setting = $"{TlsOptions.SectionName}:{nameof(TlsOptions.Hosts)}:{host.Key}";
            if (!CertificateSet.IsValidHostPattern(host.Key))
            {
                throw new CertificateLoadException($"{setting}: '{host.Key}' is not a host name or a wildcard like '*.example.com'.");
            }

            var settings = Bind(host, setting);
            if (settings is null || settings.IsEmpty)
            {
                throw new CertificateLoadException($"{setting}: give Path (PEM with KeyPath, or PFX with Password) or a store Subject.");
            }

            yield return new CertificateSource(host.Key.ToLowerInvariant(), setting, settings);
        }
    }

    private static CertificateSettings? Bind(IConfigurationSection section, string setting)
    {
        try
        {
            return section.Get<CertificateSettings>(options => options.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            throw new CertificateLoadException($"{setting}: {ex.Message}", ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.CertificateRenewed, Level = LogLevel.Information, Message = "Certificate {Name} renewed: {Subject}, serial {Serial}, expires {NotAfter:u} (was serial {OldSerial}); new handshakes use it")]
        public static partial void Renewed(ILogger logger, string name, string subject, string serial, DateTime notAfter, string oldSerial);

        [LoggerMessage(EventId = EventIds.CertificateRefused, Level = LogLevel.Error, Message = "Certificate {Name}: the changed file was refused and the certificate in force stays. {Reason}")]
        public static partial void Refused(ILogger logger, string name, string reason);
    }
}
