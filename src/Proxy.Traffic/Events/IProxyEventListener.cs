namespace Proxy.Traffic.Events;

/// <summary>
/// An in-process subscriber of the event stream (notifications): registered as a service, it is handed every event from
/// the stream's first, in order, and is never dropped. It is called under the stream's lock, so it must only hand the
/// event on (a bounded queue of its own, counting what it cannot take) and never wait or throw.
/// </summary>
public interface IProxyEventListener
{
    /// <summary>Takes one event as it is published.</summary>
    void OnEvent(ProxyEvent published);
}
