namespace Proxy.Traffic.WebConsole;

/// <summary>The <c>Admin:Console</c> section: how long a console session lasts and how failed logins are slowed down.</summary>
public sealed class ConsoleOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Admin:Console";

    /// <summary>How long a session lasts from its login (it does not slide: an operator logs in again after it).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Failed logins from one address within <see cref="LoginFailureWindow"/> before further attempts are refused with 429.</summary>
    public int MaxLoginFailures { get; set; } = 5;

    /// <summary>The window over which failed logins are counted, and how long an address is refused once over the limit.</summary>
    public TimeSpan LoginFailureWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Sessions held at once; the oldest ends when a login would go past it.</summary>
    public int MaxSessions { get; set; } = 1000;
}
