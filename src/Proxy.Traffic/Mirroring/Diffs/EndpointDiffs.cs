namespace Proxy.Traffic.Mirroring.Diffs;

/// <summary>
/// What one endpoint's mirrored requests showed: requests compared, the fields in which the candidate differed (with a
/// count and the first example each), the fields in which two primary answers differed (noise, with its rate), and per
/// distinct set of differing fields how many requests had it — so that a field learned as noise later still takes the
/// requests that differed only in noise out of the differing share. Every collection is bounded; what does not fit is
/// counted. Updated off the request path, under its own lock.
/// </summary>
internal sealed class EndpointDiffs(string name, int maxFields)
{
    /// <summary>The most distinct sets of differing fields kept; requests with another set are judged when recorded.</summary>
    public const int MaxSignatures = 64;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, FieldStats> _fields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Signature> _signatures = new(StringComparer.Ordinal);
    private long _compared;
    private long _noiseSamples;
    private long _droppedFields;
    private long _untrackedDiffering;

    public string Name => name;

    /// <summary>
    /// Records one request: the candidate's differences from the primary and, when a second primary answer was compared,
    /// the noise between the two. Returns the candidate's fields that are not noise now (as metrics count them), with
    /// fields beyond the limit as null.
    /// </summary>
    public List<string?> Record(IReadOnlyList<FieldDifference> candidate, IReadOnlyList<FieldDifference>? noise)
    {
        var reported = new List<string?>();
        lock (_gate)
        {
            _compared++;
            if (noise is not null)
            {
                _noiseSamples++;
                foreach (var difference in Distinct(noise))
                {
                    if (Track(difference.Field) is { } stats)
                    {
                        stats.NoiseCount++;
                        stats.NoiseExample ??= difference;
                    }
                }
            }

            var fields = new List<string>();
            var untracked = false;
            foreach (var difference in Distinct(candidate))
            {
                if (Track(difference.Field) is not { } stats)
                {
                    untracked = true;
                    reported.Add(null);
                    continue;
                }

                stats.Count++;
                stats.Example ??= difference;
                fields.Add(difference.Field);
                if (stats.NoiseCount == 0)
                {
                    reported.Add(difference.Field);
                }
            }

            if (fields.Count > 0 || untracked)
            {
                fields.Sort(StringComparer.Ordinal);
                var key = string.Join('\n', fields) + (untracked ? "\n+" : "");
                if (_signatures.TryGetValue(key, out var signature) || _signatures.Count < MaxSignatures)
                {
                    signature ??= _signatures[key] = new Signature([.. fields], untracked);
                    signature.Count++;
                }
                else if (untracked || fields.Exists(f => _fields[f].NoiseCount == 0))
                {
                    _untrackedDiffering++;
                }
            }
        }

        return reported;
    }

    /// <summary>Requests compared and those that differed in a field that is not noise.</summary>
    public (long Compared, long Differing) Rate()
    {
        lock (_gate)
        {
            return (_compared, Differing());
        }
    }

    public EndpointDiffReport Report(int topFields)
    {
        lock (_gate)
        {
            var noisy = _fields.Where(f => f.Value.NoiseCount > 0).ToArray();
            return new EndpointDiffReport(
                name,
                _compared,
                Differing(),
                _noiseSamples,
                [.. _fields.Where(f => f.Value.NoiseCount == 0 && f.Value.Count > 0).OrderByDescending(f => f.Value.Count).ThenBy(f => f.Key, StringComparer.Ordinal)
                    .Take(topFields).Select(f => new FieldDiffReport(f.Key, f.Value.Count, f.Value.Example!))],
                [.. noisy.OrderByDescending(f => f.Value.NoiseCount).ThenBy(f => f.Key, StringComparer.Ordinal)
                    .Select(f => new NoisyFieldReport(f.Key, (double)f.Value.NoiseCount / _noiseSamples, f.Value.Count, f.Value.NoiseExample!))],
                _droppedFields);
        }
    }

    private long Differing() =>
        _untrackedDiffering + _signatures.Values.Where(s => s.Untracked || Array.Exists(s.Fields, f => _fields[f].NoiseCount == 0)).Sum(s => s.Count);

    private FieldStats? Track(string field)
    {
        if (_fields.TryGetValue(field, out var stats))
        {
            return stats;
        }

        if (_fields.Count >= maxFields)
        {
            _droppedFields++;
            return null;
        }

        return _fields[field] = new FieldStats();
    }

    // A field counts once per request, however many array elements differ in it; the first is the example.
    private static IEnumerable<FieldDifference> Distinct(IReadOnlyList<FieldDifference> differences) =>
        differences.DistinctBy(d => d.Field, StringComparer.Ordinal);

    private sealed class FieldStats
    {
        public long Count;
        public long NoiseCount;
        public FieldDifference? Example;
        public FieldDifference? NoiseExample;
    }

    private sealed class Signature(string[] fields, bool untracked)
    {
        public long Count;

        public string[] Fields => fields;

        public bool Untracked => untracked;
    }
}
