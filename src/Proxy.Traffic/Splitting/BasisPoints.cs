namespace Proxy.Traffic.Splitting;

/// <summary>Converts between user-facing percentages (two decimals) and the basis points held internally.</summary>
public static class BasisPoints
{
    /// <summary>The whole bucket space: 100% in basis points.</summary>
    public const int Total = 10_000;

    /// <summary>True when the percentage lies in 0–100 and has at most two decimals.</summary>
    public static bool IsValidPercent(decimal percent) =>
        percent >= 0m && percent <= 100m && decimal.Truncate(percent * 100m) == percent * 100m;

    /// <summary>Converts a validated percentage to basis points.</summary>
    public static int FromPercent(decimal percent) => (int)(percent * 100m);

    /// <summary>Converts basis points back to a percentage.</summary>
    public static decimal ToPercent(int basisPoints) => basisPoints / 100m;
}
