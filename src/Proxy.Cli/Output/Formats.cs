using System.Globalization;

namespace Proxy.Cli.Output;

/// <summary>How values read in proxyctl's tables and lines.</summary>
public static class Formats
{
    /// <summary>"blue=90 canary=10".</summary>
    public static string Weights(IReadOnlyDictionary<string, decimal>? weights) =>
        weights is null ? "" : string.Join(' ', weights.Select(w => $"{w.Key}={Percent(w.Value)}"));

    public static string Percent(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>"2026-12-01 20:31:05Z".</summary>
    public static string Time(DateTimeOffset? at) => at is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";

    /// <summary>"in 8 s", "in 2 min 5 s", "now".</summary>
    public static string Countdown(DateTimeOffset at, DateTimeOffset now)
    {
        var left = at - now;
        if (left <= TimeSpan.Zero)
        {
            return "now";
        }

        var seconds = (long)Math.Ceiling(left.TotalSeconds);
        return seconds < 60
            ? string.Create(CultureInfo.InvariantCulture, $"in {seconds} s")
            : string.Create(CultureInfo.InvariantCulture, $"in {seconds / 60} min {seconds % 60} s");
    }

    /// <summary>Text for a Spectre markup cell.</summary>
    public static string Cell(string? text) => Spectre.Console.Markup.Escape(text ?? "");
}
