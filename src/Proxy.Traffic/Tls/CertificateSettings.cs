namespace Proxy.Traffic.Tls;

/// <summary>
/// Where one server certificate comes from, in the shape of Kestrel's <c>Kestrel:Certificates:Default</c>: a PEM
/// <see cref="Path"/> with <see cref="KeyPath"/>, a PFX <see cref="Path"/> with <see cref="Password"/>, or a store
/// <see cref="Subject"/>.
/// </summary>
public sealed class CertificateSettings
{
    /// <summary>The certificate file: PEM (with <see cref="KeyPath"/>, or the key in the same file) or PFX/PKCS#12.</summary>
    public string? Path { get; set; }

    /// <summary>The PEM private key file.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The PFX password, or the password of an encrypted PEM key. Never logged.</summary>
    public string? Password { get; set; }

    /// <summary>The subject name to find in a certificate store (instead of a file).</summary>
    public string? Subject { get; set; }

    /// <summary>The store to search for <see cref="Subject"/>; <c>My</c> by default.</summary>
    public string? Store { get; set; }

    /// <summary>The store location, <c>CurrentUser</c> (default) or <c>LocalMachine</c>.</summary>
    public string? Location { get; set; }

    /// <summary>Accept a store certificate that does not validate (self-signed, untrusted chain).</summary>
    public bool AllowInvalid { get; set; }

    /// <summary>True when nothing is set.</summary>
    public bool IsEmpty => Path is null && Subject is null;
}
