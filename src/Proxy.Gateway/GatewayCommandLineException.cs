namespace Proxy.Gateway;

/// <summary>A command line that cannot start a gateway; its message is the one line the operator reads.</summary>
public sealed class GatewayCommandLineException(string message) : Exception(message);
