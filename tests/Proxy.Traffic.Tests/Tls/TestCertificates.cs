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

    /// <summary>A root CA, an intermediate it signed and a server certificate for <paramref name="dnsName"/> the intermediate signed (with its key).</summary>
    public static (X509Certificate2 Leaf, X509Certificate2 Intermediate) CreateSignedByIntermediate(string dnsName)
    {
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=Test Root CA", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var root = rootRequest.CreateSelfSigned(start, start.AddDays(365));

        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var intermediateRequest = new CertificateRequest("CN=Test Intermediate CA", intermediateKey, HashAlgorithmName.SHA256);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var intermediate = intermediateRequest.Create(root, start, start.AddDays(180), [1, 2, 3, 4]).CopyWithPrivateKey(intermediateKey);

        var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest($"CN={dnsName}", leafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        leafRequest.CertificateExtensions.Add(names.Build());
        using var leafPublic = leafRequest.Create(intermediate, start, start.AddDays(90), [5, 6, 7, 8]);
        return (leafPublic.CopyWithPrivateKey(leafKey), intermediate);
    }

    /// <summary>Writes the certificate and its key as two PEM files (each replaced by a rename, as a renewal tool does).</summary>
    public static void WritePem(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        Replace(certificatePath, certificate.ExportCertificatePem());
        Replace(keyPath, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Writes a PEM "fullchain" (the certificate, then <paramref name="chain"/>) and the key, as certbot does.</summary>
    public static void WriteFullChainPem(X509Certificate2 certificate, X509Certificate2[] chain, string certificatePath, string keyPath)
    {
        Replace(certificatePath, string.Concat(new[] { certificate }.Concat(chain).Select(c => c.ExportCertificatePem() + "\n")));
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
