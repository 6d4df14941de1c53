namespace Proxy.Traffic.Experiments.Counting;

/// <summary>
/// A 64-bit hash of a user's key (FNV-1a, then the splitmix64 finaliser): what the counters hold instead of the key. Two
/// of a million users collide with probability ≈ n²/2⁶⁵ ≈ 3·10⁻⁸, so counting hashes is counting users.
/// </summary>
public static class UserKeyHash
{
    /// <summary>The hash of a key.</summary>
    public static ulong Of(ReadOnlySpan<char> key)
    {
        var hash = 14695981039346656037ul;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 1099511628211ul;
        }

        hash ^= hash >> 30;
        hash *= 0xbf58476d1ce4e5b9ul;
        hash ^= hash >> 27;
        hash *= 0x94d049bb133111ebul;
        hash ^= hash >> 31;
        return hash;
    }
}
