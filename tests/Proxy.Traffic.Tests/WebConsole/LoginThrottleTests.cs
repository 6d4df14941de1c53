using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Proxy.Traffic.WebConsole;

namespace Proxy.Traffic.Tests.WebConsole;

public class LoginThrottleTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.7");
    private static readonly IPAddress Other = IPAddress.Parse("192.0.2.8");

    private static (LoginThrottle Throttle, FakeTimeProvider Time) Create()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var options = new OptionsMonitorStub(new ConsoleOptions { MaxLoginFailures = 3, LoginFailureWindow = TimeSpan.FromMinutes(1) });
        return (new LoginThrottle(options, time), time);
    }

    [Fact]
    public void An_address_is_refused_after_the_limit_until_its_window_ends_and_others_are_not()
    {
        var (throttle, time) = Create();

        Assert.Equal([1, 2], new[] { throttle.Failed(Client), throttle.Failed(Client) });
        Assert.Null(throttle.RetryAfter(Client));
        throttle.Failed(Client);
        time.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(TimeSpan.FromSeconds(40), throttle.RetryAfter(Client));
        Assert.Null(throttle.RetryAfter(Other));
        time.Advance(TimeSpan.FromSeconds(40));
        Assert.Null(throttle.RetryAfter(Client));
        Assert.Equal(1, throttle.Failed(Client)); // a new window
    }

    private sealed class OptionsMonitorStub(ConsoleOptions value) : IOptionsMonitor<ConsoleOptions>
    {
        public ConsoleOptions CurrentValue => value;

        public ConsoleOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ConsoleOptions, string?> listener) => null;
    }
}
