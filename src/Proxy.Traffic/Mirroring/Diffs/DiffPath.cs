using System.Text;

namespace Proxy.Traffic.Mirroring.Diffs;

/// <summary>
/// Names of compared fields: <c>status</c>, <c>headers.{name}</c>, <c>body</c> (text or binary) and JSON paths such as
/// <c>$.items[*].id</c>. Array positions are written <c>[*]</c> in a field's name, so one field counts every element; the
/// concrete position is kept in the example.
/// </summary>
public static class DiffPath
{
    /// <summary>The answer's status code.</summary>
    public const string Status = "status";

    /// <summary>A body that is not JSON, compared by length and hash.</summary>
    public const string Body = "body";

    /// <summary>The root of a JSON body.</summary>
    public const string Root = "$";

    /// <summary>Prefix of a compared header's field.</summary>
    public const string HeaderPrefix = "headers.";

    /// <summary>The path of a JSON property below <paramref name="parent"/>; names that are not plain are bracketed.</summary>
    public static string Property(string parent, string name) =>
        IsPlainName(name) ? $"{parent}.{name}" : $"{parent}['{name.Replace("'", "\\'", StringComparison.Ordinal)}']";

    /// <summary>The path of an array element, by position.</summary>
    public static string Element(string parent, int index) => $"{parent}[{index}]";

    /// <summary>The field an element belongs to: every position of an array is one field.</summary>
    public static string AnyElement(string parent) => parent + "[*]";

    /// <summary>True when <paramref name="pattern"/> names <paramref name="field"/> or a field above it.</summary>
    public static bool Covers(string pattern, string field) =>
        field.StartsWith(pattern, StringComparison.Ordinal)
        && (field.Length == pattern.Length || field[pattern.Length] is '.' or '[');

    /// <summary>True for a JSON path pattern: <c>$</c>, then <c>.name</c>, <c>['name']</c> or <c>[*]</c> segments.</summary>
    public static bool IsJsonPattern(string value)
    {
        if (value.Length == 0 || value[0] != '$')
        {
            return false;
        }

        var i = 1;
        while (i < value.Length)
        {
            if (value[i] == '.')
            {
                var start = ++i;
                while (i < value.Length && value[i] is not ('.' or '['))
                {
                    i++;
                }

                if (i == start || !IsPlainName(value[start..i]))
                {
                    return false;
                }
            }
            else if (value.AsSpan(i).StartsWith("[*]"))
            {
                i += 3;
            }
            else if (value.AsSpan(i).StartsWith("['"))
            {
                var end = value.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    return false;
                }

                i = end + 2;
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Shortens a value shown in an example.</summary>
    public static string Shorten(string value, int max = 100)
    {
        if (value.Length <= max)
        {
            return value;
        }

        var builder = new StringBuilder(value, 0, max, max + 1);
        return builder.Append('…').ToString();
    }

    private static bool IsPlainName(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '$' or '@');
}
