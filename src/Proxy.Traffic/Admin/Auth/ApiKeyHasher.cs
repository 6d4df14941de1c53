using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Proxy.Traffic.Admin.Auth;

/// <summary>Creates admin API keys, hashes them for configuration, and finds the configured key a request presents.</summary>
public static class ApiKeyHasher
{
    private const int HashBytes = 32;

    /// <summary>A new random key: 32 bytes, base64url.</summary>
    public static string NewKey() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The SHA-256 of a key as lowercase hex: what <c>Admin:ApiKeys:N:Sha256</c> holds.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The configured key whose hash matches <paramref name="presented"/>, or null.</summary>
    /// <remarks>
    /// Only hashes are compared, each in constant time and all of them every time, so response times say nothing about
    /// which key, or how much of one, matched.
    /// </remarks>
    public static AdminApiKeyOptions? Match(string presented, IReadOnlyList<AdminApiKeyOptions> keys)
    {
        Span<byte> hash = stackalloc byte[HashBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), hash);
        Span<byte> expected = stackalloc byte[HashBytes];
        AdminApiKeyOptions? match = null;
        foreach (var key in keys)
        {
            expected.Clear();
            var parsed = Convert.FromHexString(key.Sha256, expected, out _, out var written) == System.Buffers.OperationStatus.Done && written == HashBytes;
            if (CryptographicOperations.FixedTimeEquals(hash, expected) && parsed)
            {
                match ??= key;
            }
        }

        return match;
    }
}
