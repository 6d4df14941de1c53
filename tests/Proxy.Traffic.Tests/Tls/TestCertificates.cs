using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Proxy.Traffic.Tests.Tls;

/// <summary>Self-signed server certificates made by the test, written as PEM (certificate + key) or PFX files.</summary>
public static class TestCertificates
{
    /// <summary>A certificate for <paramref name="dnsNames"/> (the first is the subject), valid from an hour ago for <paramref name="validFor"/>.</summary>
    public static X509Certificate2 Create(string[] dnsNames, TimeSpan? validFor = null, DateTimeOffset? now = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsNames[0]}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            names.AddDnsName(name);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var start = (now ?? DateTimeOffset.UtcNow).AddHours(-1);
        return request.CreateSelfSigned(start, start + (validFor ?? TimeSpan.FromDays(90)));
    }

    /// <summary>Writes the certificate and its key as two PEM files (each replaced by a rename, as a renewal tool does).</summary>
    public static void WritePem(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        Replace(certificatePath, certificate.ExportCertificatePem());
        Replace(keyPath, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Writes the certificate with its key as a password-protected PFX file.</summary>
    public static void WritePfx(X509Certificate2 certificate, string path, string password) =>
        Replace(path, certificate.Export(X509ContentType.Pfx, password));

    /// <summary>Writes <paramref name="content"/> to a temporary file and renames it over <paramref name="path"/>.</summary>
    public static void Replace(string path, string content) => Replace(path, System.Text.Encoding.ASCII.GetBytes(content));

    private static void Replace(string path, byte[] content)
    {
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}
