using System.Text;
using System.Text.Json;

namespace Proxy.Traffic.Mirroring.Diffs;

/// <summary>
/// Compares two JSON documents field by field: objects by property name (their order does not matter), arrays by position
/// or, for the configured paths, as sets; numbers by value. Ignored fields and what is below them are skipped.
/// </summary>
internal static class JsonAnswerComparer
{
    public static void Compare(JsonElement first, JsonElement second, DiffRules rules, AnswerDifferences differences) =>
        Compare(first, second, DiffPath.Root, DiffPath.Root, redacted: rules.Redacted(DiffPath.Root, null), rules, differences);

    private static void Compare(JsonElement first, JsonElement second, string at, string field, bool redacted, DiffRules rules, AnswerDifferences differences)
    {
        if (rules.Ignored(field))
        {
            return;
        }

        if (Kind(first) != Kind(second))
        {
            differences.Add(Difference(field, at, "type", first, second, redacted));
            return;
        }

        switch (first.ValueKind)
        {
            case JsonValueKind.Object:
                CompareObjects(first, second, at, field, redacted, rules, differences);
                break;
            case JsonValueKind.Array when rules.IsSet(field):
                CompareSets(first, second, at, field, redacted, rules, differences);
                break;
            case JsonValueKind.Array:
                CompareArrays(first, second, at, field, redacted, rules, differences);
                break;
            case JsonValueKind.Number when !SameNumber(first, second):
            case JsonValueKind.String when !first.ValueEquals(second.GetString()):
            case JsonValueKind.True or JsonValueKind.False when first.ValueKind != second.ValueKind:
                differences.Add(Difference(field, at, "changed", first, second, redacted));
                break;
        }
    }

    private static void CompareObjects(JsonElement first, JsonElement second, string at, string field, bool redacted, DiffRules rules, AnswerDifferences differences)
    {
        var others = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in second.EnumerateObject())
        {
            others[property.Name] = property.Value;
        }

        foreach (var property in first.EnumerateObject())
        {
            var childField = DiffPath.Property(field, property.Name);
            var childAt = DiffPath.Property(at, property.Name);
            var childRedacted = redacted || rules.Redacted(childField, property.Name);
            if (others.Remove(property.Name, out var other))
            {
                Compare(property.Value, other, childAt, childField, childRedacted, rules, differences);
            }
            else if (!rules.Ignored(childField))
            {
                differences.Add(new FieldDifference(childField, childAt, "missing", DiffRules.Show(property.Value.GetRawText(), childRedacted), null));
            }
        }

        foreach (var (name, value) in others)
        {
            var childField = DiffPath.Property(field, name);
            if (!rules.Ignored(childField))
            {
                differences.Add(new FieldDifference(
                    childField, DiffPath.Property(at, name), "added", null, DiffRules.Show(value.GetRawText(), redacted || rules.Redacted(childField, name))));
            }
        }
    }

    private static void CompareArrays(JsonElement first, JsonElement second, string at, string field, bool redacted, DiffRules rules, AnswerDifferences differences)
    {
        var elementField = DiffPath.AnyElement(field);
        var redactedElements = redacted || rules.Redacted(elementField, null);
        var length = Math.Min(first.GetArrayLength(), second.GetArrayLength());
        for (var i = 0; i < length; i++)
        {
            Compare(first[i], second[i], DiffPath.Element(at, i), elementField, redactedElements, rules, differences);
        }

        if (rules.Ignored(elementField))
        {
            return;
        }

        for (var i = length; i < first.GetArrayLength(); i++)
        {
            differences.Add(new FieldDifference(elementField, DiffPath.Element(at, i), "missing", DiffRules.Show(first[i].GetRawText(), redactedElements), null));
        }

        for (var i = length; i < second.GetArrayLength(); i++)
        {
            differences.Add(new FieldDifference(elementField, DiffPath.Element(at, i), "added", null, DiffRules.Show(second[i].GetRawText(), redactedElements)));
        }
    }

    // As multisets of canonical elements (sorted keys, ignored fields left out): order and position do not matter.
    private static void CompareSets(JsonElement first, JsonElement second, string at, string field, bool redacted, DiffRules rules, AnswerDifferences differences)
    {
        var elementField = DiffPath.AnyElement(field);
        if (rules.Ignored(elementField))
        {
            return;
        }

        var redactedElements = redacted || rules.Redacted(elementField, null);
        var remaining = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var element in second.EnumerateArray())
        {
            var key = Canonical(element, elementField, rules);
            remaining[key] = remaining.GetValueOrDefault(key) + 1;
        }

        foreach (var element in first.EnumerateArray())
        {
            var key = Canonical(element, elementField, rules);
            if (remaining.GetValueOrDefault(key) is var count and > 0)
            {
                remaining[key] = count - 1;
            }
            else
            {
                differences.Add(new FieldDifference(elementField, DiffPath.AnyElement(at), "missing", DiffRules.Show(key, redactedElements), null));
            }
        }

        foreach (var (key, count) in remaining)
        {
            for (var i = 0; i < count; i++)
            {
                differences.Add(new FieldDifference(elementField, DiffPath.AnyElement(at), "added", null, DiffRules.Show(key, redactedElements)));
            }
        }
    }

    private static string Canonical(JsonElement element, string field, DiffRules rules)
    {
        var builder = new StringBuilder();
        WriteCanonical(element, field, rules, builder);
        return builder.ToString();
    }

    private static void WriteCanonical(JsonElement element, string field, DiffRules rules, StringBuilder builder)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                builder.Append('{');
                var first = true;
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    var child = DiffPath.Property(field, property.Name);
                    if (rules.Ignored(child))
                    {
                        continue;
                    }

                    builder.Append(first ? "" : ",").Append(JsonSerializer.Serialize(property.Name)).Append(':');
                    WriteCanonical(property.Value, child, rules, builder);
                    first = false;
                }

                builder.Append('}');
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    builder.Append(index++ == 0 ? "" : ",");
                    WriteCanonical(item, DiffPath.AnyElement(field), rules, builder);
                }

                builder.Append(']');
                break;
            case JsonValueKind.Number when element.TryGetDecimal(out var number):
                builder.Append(number.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            default:
                builder.Append(element.GetRawText());
                break;
        }
    }

    // 1, 1.0 and 1e0 are the same number; numbers beyond decimal compare as doubles, then as text.
    private static bool SameNumber(JsonElement first, JsonElement second) =>
        first.TryGetDecimal(out var a) && second.TryGetDecimal(out var b) ? a == b
        : first.TryGetDouble(out var x) && second.TryGetDouble(out var y) && double.IsFinite(x) ? x.Equals(y)
        : first.GetRawText() == second.GetRawText();

    private static JsonValueKind Kind(JsonElement element) => element.ValueKind == JsonValueKind.False ? JsonValueKind.True : element.ValueKind;

    private static FieldDifference Difference(string field, string at, string kind, JsonElement first, JsonElement second, bool redacted) =>
        new(field, at, kind, DiffRules.Show(first.GetRawText(), redacted), DiffRules.Show(second.GetRawText(), redacted));
}
