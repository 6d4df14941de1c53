using Microsoft.Extensions.Primitives;

namespace Proxy.Traffic.Splitting;

/// <summary>
/// Finds one cookie in the raw <c>Cookie</c> header without building ASP.NET Core's cookie collection,
/// which would allocate a dictionary on every request.
/// </summary>
internal static class CookieHeaderReader
{
    public static bool TryGetValue(StringValues cookieHeaders, string name, out ReadOnlySpan<char> value)
    {
        for (var i = 0; i < cookieHeaders.Count; i++)
        {
            if (TryGetValue(cookieHeaders[i].AsSpan(), name, out value))
            {
                return true;
            }
        }

        value = default;
        return false;
    }

    private static bool TryGetValue(ReadOnlySpan<char> header, string name, out ReadOnlySpan<char> value)
    {
        while (!header.IsEmpty)
        {
            var separator = header.IndexOf(';');
            var pair = (separator < 0 ? header : header[..separator]).Trim();
            header = separator < 0 ? default : header[(separator + 1)..];

            var equals = pair.IndexOf('=');
            if (equals <= 0 || !pair[..equals].TrimEnd().SequenceEqual(name))
            {
                continue;
            }

            value = pair[(equals + 1)..].Trim();
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                value = value[1..^1];
            }

            return !value.IsEmpty;
        }

        value = default;
        return false;
    }
}
