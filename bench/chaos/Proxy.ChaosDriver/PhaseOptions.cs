using System.Globalization;

namespace Proxy.ChaosDriver;

/// <summary>What one phase runs against and which checks it makes; parsed from <c>phase</c>'s arguments.</summary>
internal sealed record PhaseOptions
{
    public required string Name { get; init; }
    public required IReadOnlyList<Uri> Proxies { get; init; }
    public required IReadOnlyList<Uri> Admins { get; init; }
    public required string Key { get; init; }
    public required string ControlDirectory { get; init; }
    public string Route { get; init; } = "chaos";
    public int Clients { get; init; } = 8;
    public int RatePerClient { get; init; } = 100;
    public OperatorMode Operator { get; init; } = OperatorMode.Steady;
    public int FloodCount { get; init; }

    /// <summary>How long the flood may go on: it stops at whichever of its count and its time comes first.</summary>
    public TimeSpan FloodDuration { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromSeconds(90);
    public required string Ledger { get; init; }
    public string? Results { get; init; }
    public bool ExpectClosedBreakers { get; init; }

    /// <summary>Override checks after the phase: header value, expected cluster, and the proxy to ask.</summary>
    public IReadOnlyList<(string Value, string Cluster, Uri Proxy)> ExpectedOverrides { get; init; } = [];

    public string StopFile => Path.Combine(ControlDirectory, "stop");
    public string ReadyFile => Path.Combine(ControlDirectory, "ready");
    public string FloodDoneFile => Path.Combine(ControlDirectory, "flood-done");
    public string EventsFile => Path.Combine(ControlDirectory, "events");

    public static PhaseOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"unexpected argument '{name}'");
            }

            var value = name == "--expect-closed-breakers" ? "true"
                : i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value");
            if (!values.TryGetValue(name, out var list))
            {
                values[name] = list = [];
            }

            list.Add(value);
        }

        string One(string name) => values.TryGetValue(name, out var v) ? v[^1] : throw new ArgumentException($"--{name.TrimStart('-')} is required");
        string? Optional(string name) => values.TryGetValue(name, out var v) ? v[^1] : null;
        int Number(string name, int fallback, int min, int max)
        {
            if (Optional(name) is not { } text)
            {
                return fallback;
            }

            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                ? n
                : throw new ArgumentException($"{name} must be a whole number from {min} to {max}");
        }

        List<Uri> Urls(string name) => values.TryGetValue(name, out var v) ? v.Select(u => new Uri(u)).ToList() : throw new ArgumentException($"{name} is required");

        return new PhaseOptions
        {
            Name = One("--name"),
            Proxies = Urls("--proxy"),
            Admins = Urls("--admin"),
            Key = One("--key"),
            ControlDirectory = One("--control"),
            Route = Optional("--route") ?? "chaos",
            Clients = Number("--clients", 8, 1, 64),
            RatePerClient = Number("--rate", 100, 1, 2000),
            Operator = Enum.Parse<OperatorMode>(Optional("--operator") ?? "steady", ignoreCase: true),
            FloodCount = Number("--flood", 0, 0, 1_000_000),
            FloodDuration = TimeSpan.FromSeconds(Number("--flood-seconds", 10, 1, 60)),
            MaxDuration = TimeSpan.FromSeconds(Number("--max-seconds", 90, 5, 600)),
            Ledger = One("--ledger"),
            Results = Optional("--results"),
            ExpectClosedBreakers = values.ContainsKey("--expect-closed-breakers"),
            ExpectedOverrides = values.TryGetValue("--expect-override", out var overrides) ? overrides.Select(ParseOverride).ToList() : [],
        };
    }

    // VALUE=CLUSTER@PROXY_URL
    private static (string, string, Uri) ParseOverride(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || at <= eq + 1)
        {
            throw new ArgumentException($"--expect-override '{text}' is not VALUE=CLUSTER@PROXY_URL");
        }

        return (text[..eq], text[(eq + 1)..at], new Uri(text[(at + 1)..]));
    }
}
