namespace Proxy.Traffic.Tls;

/// <summary>A server certificate renewed from its changed file, or the changed file refused (the certificate in force stays).</summary>
/// <param name="Name">The certificate: <c>default</c> or an SNI host.</param>
/// <param name="Renewed">True when the new file is in use; false when it was refused.</param>
/// <param name="Subject">The new certificate's subject.</param>
/// <param name="Serial">The new certificate's serial number.</param>
/// <param name="NotAfter">When the new certificate expires.</param>
/// <param name="Reason">Why the file was refused.</param>
public sealed record CertificateChange(string Name, bool Renewed, string? Subject, string? Serial, DateTimeOffset? NotAfter, string? Reason);
