namespace Proxy.Traffic.Splitting;

/// <summary>How a route pins users to a version: a key from a header or cookie, else a gateway-issued cookie.</summary>
/// <param name="KeyHeader">Header carrying the user's key (for example a user id), or null.</param>
/// <param name="KeyCookie">An application cookie carrying the user's key, or null.</param>
/// <param name="CookieName">The cookie the gateway issues with a random key when the request carries none.</param>
/// <param name="CookieMaxAge">Lifetime of the issued cookie.</param>
public sealed record StickySettings(string? KeyHeader, string? KeyCookie, string CookieName, TimeSpan CookieMaxAge);
