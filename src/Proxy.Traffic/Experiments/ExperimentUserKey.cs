using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Experiments;

/// <summary>
/// Where an experiment reads a user's key: the split's sticky key (header, else cookie), else the gateway's sticky cookie,
/// else (on the response that issued it) the key the split step just gave a new user; for a flag's arms, the flag's key.
/// </summary>
public sealed record ExperimentUserKey(string? Header, string? Cookie, string? GatewayCookie)
{
    /// <summary>Reads the user's key from a request (and, for a new user, from what the split step issued).</summary>
    public bool TryRead(HttpContext context, out ReadOnlySpan<char> key)
    {
        var headers = context.Request.Headers;
        if (Header is not null)
        {
            var values = headers[Header];
            if (values.Count > 0 && !string.IsNullOrEmpty(values[0]))
            {
                key = values[0].AsSpan();
                return true;
            }
        }

        if ((Cookie is not null && CookieHeaderReader.TryGetValue(headers[HeaderNames.Cookie], Cookie, out key))
            || (GatewayCookie is not null && CookieHeaderReader.TryGetValue(headers[HeaderNames.Cookie], GatewayCookie, out key)))
        {
            return true;
        }

        if (IssuedStickyKey.Of(context) is { } issued)
        {
            key = issued.AsSpan();
            return true;
        }

        key = default;
        return false;
    }
}
