using System.Net;
using Microsoft.Extensions.Logging;

namespace Proxy.Traffic.WebConsole;

/// <summary>The console's log lines: logins (never the key), refusals, logouts.</summary>
internal static partial class ConsoleLog
{
    [LoggerMessage(EventId = EventIds.ConsoleLogin, Level = LogLevel.Information, Message = "Console login: key {KeyName} ({Role}) from {Address}")]
    public static partial void LoggedIn(ILogger logger, string keyName, string role, IPAddress? address);

    [LoggerMessage(EventId = EventIds.ConsoleLoginRefused, Level = LogLevel.Warning, Message = "Console login refused: not a configured key, from {Address} ({Failures} failures in the current window)")]
    public static partial void LoginFailed(ILogger logger, IPAddress? address, int failures);

    [LoggerMessage(EventId = EventIds.ConsoleLoginThrottled, Level = LogLevel.Warning, Message = "Console login refused without checking the key: {Address} failed too often; it may try again in {RetryAfter}")]
    public static partial void LoginThrottled(ILogger logger, IPAddress? address, TimeSpan retryAfter);

    [LoggerMessage(EventId = EventIds.ConsoleLogout, Level = LogLevel.Information, Message = "Console logout: key {KeyName}")]
    public static partial void LoggedOut(ILogger logger, string keyName);
}
