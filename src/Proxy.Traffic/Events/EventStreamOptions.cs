namespace Proxy.Traffic.Events;

/// <summary>The <c>Admin:Events</c> section: how much of the event stream is kept, and for whom.</summary>
public sealed class EventStreamOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Admin:Events";

    /// <summary>Events kept for clients that reconnect with <c>Last-Event-ID</c>; older ones are announced as a gap.</summary>
    public int BufferedEvents { get; set; } = 1024;

    /// <summary>Events waiting to be written to one client; a client that falls further behind is disconnected.</summary>
    public int ClientQueue { get; set; } = 256;

    /// <summary>Clients connected at once; more are answered 503.</summary>
    public int MaxClients { get; set; } = 64;

    /// <summary>How often an idle stream gets a comment line, so that proxies and load balancers keep it open.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often traffic figures, mirror comparisons and the fleet are sampled for the stream.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(5);
}
