using System.Globalization;

namespace Proxy.Traffic.Experiments;

/// <summary>A compiled goal: matches a request's method and path before it is forwarded, and its status after.</summary>
public sealed class ExperimentGoal
{
    private readonly string _path;
    private readonly bool _prefix;

    private ExperimentGoal(string name, string? method, string path, int lowestStatus, int highestStatus, string status)
    {
        Name = name;
        Method = method;
        _prefix = path.EndsWith('*');
        _path = _prefix ? path[..^1] : path;
        Path = path;
        LowestStatus = lowestStatus;
        HighestStatus = highestStatus;
        Status = status;
    }

    /// <summary>The goal's name.</summary>
    public string Name { get; }

    /// <summary>The method, or null for any.</summary>
    public string? Method { get; }

    /// <summary>The path as configured.</summary>
    public string Path { get; }

    /// <summary>The status as configured.</summary>
    public string Status { get; }

    /// <summary>Lowest status that converts.</summary>
    public int LowestStatus { get; }

    /// <summary>Highest status that converts.</summary>
    public int HighestStatus { get; }

    /// <summary>Parses a status form; false when it is not one.</summary>
    public static bool TryParseStatus(string? text, out int lowest, out int highest)
    {
        text = string.IsNullOrWhiteSpace(text) ? "2xx" : text.Trim();
        if (text.Equals("any", StringComparison.OrdinalIgnoreCase))
        {
            (lowest, highest) = (100, 599);
            return true;
        }

        if (text.Length == 3 && text[0] is >= '1' and <= '5' && text.EndsWith("xx", StringComparison.OrdinalIgnoreCase))
        {
            lowest = (text[0] - '0') * 100;
            highest = lowest + 99;
            return true;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 100 and <= 599)
        {
            (lowest, highest) = (code, code);
            return true;
        }

        (lowest, highest) = (0, 0);
        return false;
    }

    /// <summary>Compiles validated options.</summary>
    public static ExperimentGoal From(GoalOptions options)
    {
        _ = TryParseStatus(options.Status, out var lowest, out var highest);
        return new ExperimentGoal(options.Name!, string.IsNullOrWhiteSpace(options.Method) ? null : options.Method.Trim().ToUpperInvariant(),
            options.Path!.Trim(), lowest, highest, string.IsNullOrWhiteSpace(options.Status) ? "2xx" : options.Status.Trim());
    }

    /// <summary>True when a request's method and path are the goal's (checked before the status is known).</summary>
    public bool MatchesRequest(string method, ReadOnlySpan<char> path) =>
        (Method is null || string.Equals(method, Method, StringComparison.OrdinalIgnoreCase))
        && (_prefix ? path.StartsWith(_path, StringComparison.OrdinalIgnoreCase) : path.Equals(_path, StringComparison.OrdinalIgnoreCase));

    /// <summary>True when the answer's status converts.</summary>
    public bool MatchesStatus(int status) => status >= LowestStatus && status <= HighestStatus;
}
