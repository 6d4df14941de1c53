using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Proxy.Gateway;

/// <summary>The self-signed certificate <c>--demo --https</c> serves, kept as PEM files in the demo's data folder.</summary>
internal static class DemoCertificate
{
    private static readonly TimeSpan s_lifetime = TimeSpan.FromDays(30);
    private static readonly TimeSpan s_renewBefore = TimeSpan.FromDays(7);

    /// <summary>Returns the certificate and key files under <paramref name="directory"/>, creating them (again) when missing or close to expiry.</summary>
    public static (string Certificate, string Key) Ensure(string directory, TimeProvider timeProvider)
    {
        var certificatePath = Path.Combine(directory, "demo-tls.crt");
        var keyPath = Path.Combine(directory, "demo-tls.key");
        var now = timeProvider.GetUtcNow();
        if (File.Exists(certificatePath) && File.Exists(keyPath)
            && X509CertificateLoader.LoadCertificateFromFile(certificatePath) is { } existing
            && existing.NotAfter.ToUniversalTime() - now.UtcDateTime > s_renewBefore)
        {
            existing.Dispose();
            return (certificatePath, keyPath);
        }

        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now + s_lifetime);

        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        return (certificatePath, keyPath);
    }
}
