using System.Collections.Frozen;

namespace Proxy.Traffic.Mirroring.Diffs;

/// <summary>A mirror's comparison settings made quick to ask: what is ignored, compared as a set, or redacted.</summary>
internal sealed class DiffRules
{
    private const string Masked = "***";

    private readonly string[] _ignore;
    private readonly FrozenSet<string> _sets;
    private readonly string[] _redactPaths;
    private readonly FrozenSet<string> _redactNames;

    public DiffRules(MirrorDiffSettings settings)
    {
        Settings = settings;
        _ignore = [.. settings.Ignore];
        _sets = settings.Sets.ToFrozenSet(StringComparer.Ordinal);
        _redactPaths = [.. settings.Redact.Where(r => r.StartsWith('$'))];
        _redactNames = settings.Redact.Where(r => !r.StartsWith('$')).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    public MirrorDiffSettings Settings { get; }

    public bool Ignored(string field)
    {
        foreach (var pattern in _ignore)
        {
            if (DiffPath.Covers(pattern, field))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsSet(string field) => _sets.Contains(field);

    /// <summary>True when values at this field, or of this property or header name, are never shown.</summary>
    public bool Redacted(string field, string? name)
    {
        if (name is not null && _redactNames.Contains(name))
        {
            return true;
        }

        foreach (var pattern in _redactPaths)
        {
            if (DiffPath.Covers(pattern, field))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A value as an example shows it.</summary>
    public static string? Show(string? value, bool redacted) => value is null ? null : redacted ? Masked : DiffPath.Shorten(value);
}
