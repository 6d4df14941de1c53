using System.Security.Cryptography;
using System.Text;

namespace Proxy.Traffic.Webhooks;

/// <summary>
/// The signature of a webhook body, in GitHub's form: <c>X-Proxy-Signature: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c>,
/// keyed with a secret the receiver shares, so a receiver can tell the gateway's calls from forged ones.
/// </summary>
public static class WebhookSignature
{
    /// <summary>The request header that carries the signature.</summary>
    public const string HeaderName = "X-Proxy-Signature";

    private const string Prefix = "sha256=";

    /// <summary>The header value for <paramref name="body"/> signed with <paramref name="secret"/>.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>True when <paramref name="header"/> is the signature of <paramref name="body"/> with <paramref name="secret"/> (compared in fixed time).</summary>
    public static bool Verify(string secret, ReadOnlySpan<byte> body, string? header) =>
        header is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, body)), Encoding.ASCII.GetBytes(header));
}
