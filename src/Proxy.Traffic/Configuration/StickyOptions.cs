namespace Proxy.Traffic.Configuration;

/// <summary>Sticky assignment of users to a version.</summary>
public sealed class StickyOptions
{
    /// <summary>Where the user's key comes from: <c>header:NAME</c> or <c>cookie:NAME</c>; when absent or not sent, the gateway cookie is used.</summary>
    public string? Key { get; set; }

    /// <summary>Name of the HttpOnly cookie the gateway issues with a random key.</summary>
    public string Cookie { get; set; } = "proxy-variant";

    /// <summary>Lifetime of the issued cookie.</summary>
    public TimeSpan CookieMaxAge { get; set; } = TimeSpan.FromDays(30);
}
