namespace Proxy.Gateway;

/// <summary>A listener setting the gateway cannot use (an invalid URL, HTTPS without a certificate); the message names the setting.</summary>
public sealed class ListenerConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
