namespace Proxy.Traffic.Mirroring.Diffs;

/// <summary>
/// Groups requests into endpoints: the method and the path with id-like segments as <c>{id}</c>, so that
/// <c>GET /orders/1</c> and <c>GET /orders/2</c> are one endpoint, <c>GET /orders/{id}</c>.
/// </summary>
public static class EndpointTemplate
{
    private const int MaxSegments = 12;
    private const int MaxLength = 200;

    /// <summary>The endpoint of a request, e.g. <c>GET /users/{id}/orders</c>.</summary>
    public static string Of(string method, string? path)
    {
        var segments = (path ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var template = string.Join('/', segments.Take(MaxSegments).Select(s => IsId(s) ? "{id}" : s));
        if (segments.Length > MaxSegments)
        {
            template += "/…";
        }

        return $"{method} /{DiffPath.Shorten(template, MaxLength)}";
    }

    /// <summary>
    /// True for a segment that names one thing rather than a kind of thing: all digits, a GUID, an e-mail address,
    /// or eight characters or more with a digit among them (hashes, ULIDs, <c>order-12345</c>).
    /// </summary>
    public static bool IsId(string segment) =>
        segment.All(char.IsAsciiDigit)
        || Guid.TryParse(segment, out _)
        || segment.Contains('@', StringComparison.Ordinal)
        || (segment.Length >= 8 && segment.Any(char.IsAsciiDigit));
}
