using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Proxy.Traffic.Admin;

/// <summary>A route's revision as an HTTP entity tag: <c>"7"</c>.</summary>
internal static class RevisionETag
{
    public static string Format(long revision) => $"\"{revision.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// Reads If-Match: absent or <c>*</c> → no expectation; <c>"7"</c>, <c>W/"7"</c> or <c>7</c> → revision 7;
    /// anything else → false (a 400 naming the header).
    /// </summary>
    public static bool TryReadIfMatch(HttpRequest request, out long? expected)
    {
        expected = null;
        var value = request.Headers.IfMatch.ToString().Trim();
        if (value.Length == 0 || value == "*")
        {
            return true;
        }

        var tag = value.StartsWith("W/", StringComparison.Ordinal) ? value[2..] : value;
        tag = tag.Length >= 2 && tag[0] == '"' && tag[^1] == '"' ? tag[1..^1] : tag;
        if (long.TryParse(tag, NumberStyles.None, CultureInfo.InvariantCulture, out var revision))
        {
            expected = revision;
            return true;
        }

        return false;
    }
}
