namespace Proxy.Traffic.Tls;

/// <summary>A server certificate that could not be used; the message names the setting and the cause, never a secret.</summary>
public sealed class CertificateLoadException(string message, Exception? inner = null) : Exception(message, inner);
