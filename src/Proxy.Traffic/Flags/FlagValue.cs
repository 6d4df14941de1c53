using System.Globalization;

namespace Proxy.Traffic.Flags;

/// <summary>Types a flag variant's configured text the way flagd and OFREP do: boolean, integer, float or string.</summary>
public static class FlagValue
{
    /// <summary>The typed value of a configured variant.</summary>
    public static object Parse(string text)
    {
        if (bool.TryParse(text, out var boolean))
        {
            return boolean;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            return number;
        }

        return text;
    }
}
