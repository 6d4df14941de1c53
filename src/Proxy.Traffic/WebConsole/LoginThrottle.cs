using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace Proxy.Traffic.WebConsole;

/// <summary>
/// Counts failed console logins per client address over a fixed window; past the limit that address is refused until
/// its window ends, so a key cannot be guessed at speed. Only failures count: an operator who logs in is never slowed.
/// Memory is bounded: windows that ended are forgotten, and at most <see cref="MaxAddresses"/> are tracked.
/// </summary>
public sealed class LoginThrottle(IOptionsMonitor<ConsoleOptions> options, TimeProvider timeProvider)
{
    /// <summary>Addresses tracked at once; past it, the expired ones are swept and then new addresses share one entry.</summary>
    public const int MaxAddresses = 10_000;

    private static readonly IPAddress Overflow = IPAddress.None;
    private readonly ConcurrentDictionary<IPAddress, Window> _windows = new();

    /// <summary>When <paramref name="address"/> may try again, or null when it may now.</summary>
    public TimeSpan? RetryAfter(IPAddress address)
    {
        var now = timeProvider.GetUtcNow();
        if (!_windows.TryGetValue(Key(address), out var window) || window.Ends <= now)
        {
            return null;
        }

        return window.Failures >= options.CurrentValue.MaxLoginFailures ? window.Ends - now : null;
    }

    /// <summary>Counts a failed login from <paramref name="address"/>; returns the failures in its window.</summary>
    public int Failed(IPAddress address)
    {
        var now = timeProvider.GetUtcNow();
        var length = options.CurrentValue.LoginFailureWindow;
        if (_windows.Count >= MaxAddresses)
        {
            foreach (var (key, old) in _windows)
            {
                if (old.Ends <= now)
                {
                    _windows.TryRemove(key, out _);
                }
            }
        }

        return _windows.AddOrUpdate(
            Key(address),
            static (_, state) => new Window(state.now + state.length, 1),
            static (_, window, state) => window.Ends <= state.now ? new Window(state.now + state.length, 1) : window with { Failures = window.Failures + 1 },
            (now, length)).Failures;
    }

    private IPAddress Key(IPAddress address) => _windows.ContainsKey(address) || _windows.Count < MaxAddresses ? address : Overflow;

    private sealed record Window(DateTimeOffset Ends, int Failures);
}
