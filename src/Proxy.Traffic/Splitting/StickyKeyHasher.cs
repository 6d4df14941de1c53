namespace Proxy.Traffic.Splitting;

/// <summary>Hashes a user's sticky key into one of the 10,000 buckets, identically on every instance and restart.</summary>
public static class StickyKeyHasher
{
    /// <summary>The bucket (0–9,999) of a key.</summary>
    public static int BucketOf(ReadOnlySpan<char> key) => BucketOf(default, key);

    /// <summary>
    /// The bucket of a key hashed after a salt (a feature flag's name), so that each flag's rollout places users
    /// independently of the splits and of other flags. An empty salt gives <see cref="BucketOf(ReadOnlySpan{char})"/>.
    /// </summary>
    public static int BucketOf(ReadOnlySpan<char> salt, ReadOnlySpan<char> key)
    {
        // FNV-1a over UTF-16 code units, then a murmur3 finaliser so that similar keys spread evenly.
        var hash = 2166136261u;
        foreach (var c in salt)
        {
            hash = (hash ^ c) * 16777619u;
        }

        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619u;
        }

        hash ^= hash >> 16;
        hash *= 0x85ebca6bu;
        hash ^= hash >> 13;
        hash *= 0xc2b2ae35u;
        hash ^= hash >> 16;
        return (int)(hash % BasisPoints.Total);
    }
}
