namespace Proxy.Traffic.State;

/// <summary>
/// The state repository cannot be reached (a shared store is down): nothing was written. Gateways keep serving what is
/// in force (fail static); the admin API answers writes with 503.
/// </summary>
public sealed class StateUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
