namespace Proxy.Traffic.WebConsole;

/// <summary>
/// One operator's console login: which configured key it was made with (by name and hash, never the key itself), the
/// role, the token the console must send with every change, and when it ends.
/// </summary>
/// <param name="Id">Random, 256 bits; carried in the signed, encrypted session cookie.</param>
/// <param name="KeyName">The API key's name: the actor of the changes made in the session.</param>
/// <param name="KeyHash">The key's configured SHA-256: when no configured key has it any more, the session ends.</param>
/// <param name="Role">The key's role at login; a changed role ends the session too.</param>
/// <param name="RequestToken">Sent by the console as <c>X-Proxy-Console-Token</c> on every change; a cross-site request cannot know it.</param>
/// <param name="ExpiresAt">When the session ends.</param>
public sealed record ConsoleSession(string Id, string KeyName, string KeyHash, string Role, string RequestToken, DateTimeOffset ExpiresAt);
