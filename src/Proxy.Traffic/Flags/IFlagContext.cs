namespace Proxy.Traffic.Flags;

/// <summary>
/// What a flag's rules and rollout read: a request on the request path, or an OFREP evaluation context. Implemented by
/// structs so that evaluation on the request path neither boxes nor allocates.
/// </summary>
public interface IFlagContext
{
    /// <summary>The route the request is on (empty when unknown).</summary>
    string RouteId { get; }

    /// <summary>The request path.</summary>
    ReadOnlySpan<char> Path { get; }

    /// <summary>A header's first value.</summary>
    bool TryGetHeader(string name, out ReadOnlySpan<char> value);

    /// <summary>A cookie's value.</summary>
    bool TryGetCookie(string name, out ReadOnlySpan<char> value);

    /// <summary>The user's key for the percentage rollout, read from the flag's key source.</summary>
    bool TryGetKey(FlagKeySource source, out ReadOnlySpan<char> value);
}

/// <summary>Where a flag reads a user's key: a header, else a cookie.</summary>
/// <param name="Header">A header carrying the key, or null.</param>
/// <param name="Cookie">A cookie carrying the key (the gateway's sticky cookie by default).</param>
public sealed record FlagKeySource(string? Header, string? Cookie)
{
    /// <summary>The gateway's own sticky cookie.</summary>
    public static readonly FlagKeySource Default = new(null, "proxy-variant");
}
