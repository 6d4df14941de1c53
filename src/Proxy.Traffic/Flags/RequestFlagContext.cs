using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Flags;

/// <summary>A proxied request as a flag context: headers and cookies read in place, without allocating.</summary>
public readonly struct RequestFlagContext(HttpRequest request, string routeId) : IFlagContext
{
    public string RouteId => routeId;

    public ReadOnlySpan<char> Path => request.Path.Value.AsSpan();

    public bool TryGetHeader(string name, out ReadOnlySpan<char> value)
    {
        var values = request.Headers[name];
        if (values.Count > 0 && !string.IsNullOrEmpty(values[0]))
        {
            value = values[0].AsSpan();
            return true;
        }

        value = default;
        return false;
    }

    public bool TryGetCookie(string name, out ReadOnlySpan<char> value) =>
        CookieHeaderReader.TryGetValue(request.Headers[HeaderNames.Cookie], name, out value);

    public bool TryGetKey(FlagKeySource source, out ReadOnlySpan<char> value)
    {
        if (source.Header is { } header && TryGetHeader(header, out value))
        {
            return true;
        }

        if (source.Cookie is { } cookie && TryGetCookie(cookie, out value))
        {
            return true;
        }

        value = default;
        return false;
    }
}
