namespace Proxy.DemoBackend;

/// <summary>A normal request as the demo upstream received it, kept when <see cref="DemoUpstreamServer.RecordRequests"/> is on.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="PathAndQuery">The request target as received (path and query, still percent-encoded).</param>
/// <param name="Headers">Request headers by name (case-insensitive); repeated headers are joined with a comma.</param>
/// <param name="BodyLength">Number of body bytes read.</param>
/// <param name="BodySha256">Lower-case hex SHA-256 of the body.</param>
/// <param name="ReceivedAt">When the request arrived.</param>
public sealed record RecordedRequest(
    string Method,
    string PathAndQuery,
    IReadOnlyDictionary<string, string> Headers,
    long BodyLength,
    string BodySha256,
    DateTimeOffset ReceivedAt);
