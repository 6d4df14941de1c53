namespace Proxy.Traffic.Mirroring.Diffs;

/// <summary>One field that differs between two answers.</summary>
/// <param name="Field">The field's name, array positions as <c>[*]</c> (<c>$.items[*].price</c>).</param>
/// <param name="At">Where exactly (<c>$.items[3].price</c>).</param>
/// <param name="Kind"><c>changed</c>, <c>missing</c> (in the second answer), <c>added</c> (only in the second) or <c>type</c>.</param>
/// <param name="First">The first answer's value as shown in examples (shortened or redacted), or null.</param>
/// <param name="Second">The second answer's value, likewise.</param>
public sealed record FieldDifference(string Field, string At, string Kind, string? First, string? Second);

/// <summary>The differences found between two answers, at most <see cref="Max"/>; what is beyond is counted.</summary>
internal sealed class AnswerDifferences
{
    /// <summary>The most differences kept per pair of answers.</summary>
    public const int Max = 100;

    public List<FieldDifference> Items { get; } = [];

    /// <summary>Differences found beyond <see cref="Max"/>.</summary>
    public int Truncated { get; private set; }

    public void Add(FieldDifference difference)
    {
        if (Items.Count < Max)
        {
            Items.Add(difference);
        }
        else
        {
            Truncated++;
        }
    }
}
