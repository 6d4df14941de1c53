namespace Proxy.Traffic.Configuration;

/// <summary>Parses the <c>header:NAME</c> / <c>cookie:NAME</c> form of a sticky key source.</summary>
internal static class StickyKey
{
    public static bool TryParse(string? value, out string? header, out string? cookie)
    {
        header = cookie = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == value.Length - 1)
        {
            return false;
        }

        var name = value[(colon + 1)..].Trim();
        switch (value[..colon].Trim().ToUpperInvariant())
        {
            case "HEADER":
                header = name;
                return true;
            case "COOKIE":
                cookie = name;
                return true;
            default:
                return false;
        }
    }
}
