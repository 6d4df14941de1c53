using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Proxy.Traffic.Admin;

namespace Proxy.Traffic.WebConsole;

/// <summary>
/// The console's sessions, held on the server: the cookie only names one. Logging out ends it here (a copied cookie is
/// worth nothing after), and a session whose key was removed from <c>Admin:ApiKeys</c> or changed role ends at its next
/// request. Sessions are per gateway instance: after a restart, or on another instance, an operator logs in again.
/// </summary>
public sealed class ConsoleSessions(IOptionsMonitor<AdminOptions> admin, IOptionsMonitor<ConsoleOptions> options, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, ConsoleSession> _sessions = new(StringComparer.Ordinal);

    /// <summary>Sessions held now.</summary>
    public int Count => _sessions.Count;

    /// <summary>Starts a session for a key that matched.</summary>
    public ConsoleSession Start(AdminApiKeyOptions key)
    {
        var now = timeProvider.GetUtcNow();
        var session = new ConsoleSession(NewToken(), key.Name, key.Sha256, key.Role, NewToken(), now + options.CurrentValue.SessionLifetime);
        Sweep(now);
        while (_sessions.Count >= options.CurrentValue.MaxSessions && _sessions.Values.MinBy(s => s.ExpiresAt) is { } oldest)
        {
            _sessions.TryRemove(oldest.Id, out _);
        }

        _sessions[session.Id] = session;
        return session;
    }

    /// <summary>The session in force with this id, or null: unknown, expired, ended, or its key is no longer configured as it was.</summary>
    public ConsoleSession? Find(string? id)
    {
        if (id is null || !_sessions.TryGetValue(id, out var session))
        {
            return null;
        }

        if (session.ExpiresAt <= timeProvider.GetUtcNow() || !KeyStillConfigured(session))
        {
            _sessions.TryRemove(id, out _);
            return null;
        }

        return session;
    }

    /// <summary>Ends a session (logout).</summary>
    public void End(string id) => _sessions.TryRemove(id, out _);

    private bool KeyStillConfigured(ConsoleSession session) =>
        admin.CurrentValue.ApiKeys.Any(k =>
            string.Equals(k.Sha256, session.KeyHash, StringComparison.OrdinalIgnoreCase)
            && string.Equals(k.Name, session.KeyName, StringComparison.Ordinal)
            && string.Equals(k.Role, session.Role, StringComparison.Ordinal));

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (id, session) in _sessions)
        {
            if (session.ExpiresAt <= now)
            {
                _sessions.TryRemove(id, out _);
            }
        }
    }

    private static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
