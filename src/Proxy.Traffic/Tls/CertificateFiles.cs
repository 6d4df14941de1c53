using System.Security.Cryptography;

namespace Proxy.Traffic.Tls;

/// <summary>The bytes of a certificate's files as read at one moment, and a fingerprint that changes with them.</summary>
public sealed class CertificateFiles(byte[] certificate, byte[]? key)
{
    /// <summary>The certificate file.</summary>
    public byte[] Certificate { get; } = certificate;

    /// <summary>The key file, when separate.</summary>
    public byte[]? Key { get; } = key;

    /// <summary>A hash of both files, to tell a renewal from an unchanged file.</summary>
    public string Fingerprint { get; } = Convert.ToHexString(SHA256.HashData([.. certificate, .. key ?? []]));
}
