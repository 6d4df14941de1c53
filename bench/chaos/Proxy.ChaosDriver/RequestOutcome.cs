namespace Proxy.ChaosDriver;

/// <summary>One user request as the client saw it: when, what, and how it ended.</summary>
/// <param name="Status">The HTTP status, or 0 when no answer arrived (see <paramref name="Error"/>).</param>
/// <param name="Cluster">The gateway's <c>X-Proxy-Cluster</c> header, when it sent one.</param>
internal readonly record struct RequestOutcome(long StartMs, long EndMs, bool Post, int Status, string? Cluster, string? Error)
{
    public bool Succeeded => Status is >= 200 and < 300;

    /// <summary>What kind of failure this is, for the report: <c>GET 503</c>, <c>POST transport:ConnectionError</c>.</summary>
    public string Kind => $"{(Post ? "POST" : "GET")} {(Status == 0 ? Error : Status.ToString(System.Globalization.CultureInfo.InvariantCulture))}";
}
