using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Proxy.Traffic.Tls;

/// <summary>
/// One configured server certificate (the default one or a host's): reads its files, loads and checks the certificate,
/// and refuses with a <see cref="CertificateLoadException"/> naming <see cref="Setting"/> and the cause.
/// </summary>
public sealed class CertificateSource
{
    /// <summary>The name a default certificate is listed under.</summary>
    public const string DefaultName = "Default";

    /// <summary>Creates a source for the certificate configured at <paramref name="setting"/>.</summary>
    public CertificateSource(string name, string setting, CertificateSettings settings)
    {
        Name = name;
        Setting = setting;
        Settings = settings;
    }

    /// <summary><see cref="DefaultName"/>, or the host name (possibly <c>*.example.com</c>) the certificate is for.</summary>
    public string Name { get; }

    /// <summary>The configuration path, for example <c>Kestrel:Certificates:Default</c>.</summary>
    public string Setting { get; }

    /// <summary>Where the certificate comes from.</summary>
    public CertificateSettings Settings { get; }

    /// <summary>True when the certificate comes from files, which are watched for renewals.</summary>
    public bool IsFile => Settings.Path is not null;

    /// <summary>Reads the certificate's files as they are now.</summary>
    public CertificateFiles ReadFiles()
    {
        var certificate = ReadFile(nameof(CertificateSettings.Path), Settings.Path!);
        var key = Settings.KeyPath is { } keyPath ? ReadFile(nameof(CertificateSettings.KeyPath), keyPath) : null;
        return new CertificateFiles(certificate, key);
    }

    /// <summary>Loads the certificate from <paramref name="files"/> (or the store) and checks it can serve at <paramref name="now"/>.</summary>
    public X509Certificate2 Load(CertificateFiles? files, DateTimeOffset now)
    {
        var certificate = files is null ? FromStore() : FromFiles(files);
        try
        {
            Check(certificate, now);
            return certificate;
        }
        catch
        {
            certificate.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The chain to send with <paramref name="leaf"/>: the other certificates of its file (a PEM <c>fullchain</c>, or a
    /// PFX's CA certificates), so that clients need not have the intermediates.
    /// </summary>
    public X509Certificate2Collection Intermediates(CertificateFiles? files, X509Certificate2 leaf)
    {
        var all = new X509Certificate2Collection();
        if (files is null)
        {
            return all;
        }

        try
        {
            if (files.Key is not null || LooksLikePem(files.Certificate))
            {
                all.ImportFromPem(Encoding.ASCII.GetString(files.Certificate));
            }
            else
            {
                all = X509CertificateLoader.LoadPkcs12Collection(files.Certificate, Settings.Password, X509KeyStorageFlags.EphemeralKeySet);
            }
        }
        catch (CryptographicException ex)
        {
            throw Refused($"the chain in '{Settings.Path}' cannot be read", ex);
        }

        var chain = new X509Certificate2Collection();
        foreach (var certificate in all)
        {
            if (certificate.Thumbprint == leaf.Thumbprint)
            {
                certificate.Dispose();
            }
            else
            {
                chain.Add(certificate);
            }
        }

        return chain;
    }

    private X509Certificate2 FromFiles(CertificateFiles files)
    {
        var path = Settings.Path!;
        try
        {
            if (files.Key is not null || LooksLikePem(files.Certificate))
            {
                var certificatePem = Encoding.ASCII.GetString(files.Certificate);
                var keyPem = files.Key is null ? certificatePem : Encoding.ASCII.GetString(files.Key);
                var pem = string.IsNullOrEmpty(Settings.Password)
                    ? X509Certificate2.CreateFromPem(certificatePem, keyPem)
                    : X509Certificate2.CreateFromEncryptedPem(certificatePem, keyPem, Settings.Password);
                return pem;
            }

            return X509CertificateLoader.LoadPkcs12(files.Certificate, Settings.Password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (Exception ex) when ((ex is CryptographicException or ArgumentException) && (files.Key is not null || LooksLikePem(files.Certificate)))
        {
            var key = Settings.KeyPath ?? path;
            throw Refused($"'{path}' with key '{key}' cannot be used: the key is missing, unreadable{(Settings.Password is null ? "" : " with the Password given")} or does not match the certificate", ex);
        }
        catch (CryptographicException ex)
        {
            throw Refused($"'{path}' cannot be read as PFX: the Password is {(string.IsNullOrEmpty(Settings.Password) ? "missing" : "wrong")} or the file is damaged", ex);
        }
    }

    private X509Certificate2 FromStore()
    {
        var storeName = Settings.Store ?? "My";
        if (!Enum.TryParse<StoreLocation>(Settings.Location ?? nameof(StoreLocation.CurrentUser), ignoreCase: true, out var location))
        {
            throw Refused($"Location '{Settings.Location}' is not CurrentUser or LocalMachine");
        }

        try
        {
            using var store = new X509Store(storeName, location);
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
            var found = store.Certificates.Find(X509FindType.FindBySubjectName, Settings.Subject!, validOnly: !Settings.AllowInvalid);
            var best = found.Where(c => c.HasPrivateKey).OrderByDescending(c => c.NotAfter).FirstOrDefault()
                ?? throw Refused($"no certificate with a private key for subject '{Settings.Subject}' in store {location}/{storeName}");
            foreach (var other in found.Where(c => !ReferenceEquals(c, best)))
            {
                other.Dispose();
            }

            return best;
        }
        catch (CryptographicException ex)
        {
            throw Refused($"store {location}/{storeName} cannot be opened: {ex.Message}", ex);
        }
    }

    private void Check(X509Certificate2 certificate, DateTimeOffset now)
    {
        if (!certificate.HasPrivateKey)
        {
            throw Refused($"the certificate '{certificate.Subject}' has no private key (give KeyPath, or a PFX that holds the key)");
        }

        if (certificate.NotAfter.ToUniversalTime() <= now.UtcDateTime)
        {
            throw Refused($"the certificate '{certificate.Subject}' expired on {certificate.NotAfter.ToUniversalTime():u}");
        }
    }

    private byte[] ReadFile(string key, string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            return bytes.Length > 0 ? bytes : throw Refused($"{key} '{path}' is empty");
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Refused($"{key} '{path}' does not exist", ex);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw Refused($"{key} '{path}' cannot be read: {ex.Message}", ex);
        }
    }

    private static bool LooksLikePem(byte[] content) => content.AsSpan().IndexOf("-----BEGIN "u8) >= 0;

    private CertificateLoadException Refused(string cause, Exception? inner = null) => new($"{Setting}: {cause}.", inner);
}
