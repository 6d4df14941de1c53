using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Proxy.Traffic.Health;

namespace Proxy.Traffic.Tests.Health;

public class ClusterBreakerTests
{
    private static readonly CircuitBreakerSettings Settings = new()
    {
        FailureRatio = 0.5,
        MinimumThroughput = 10,
        SamplingDuration = TimeSpan.FromSeconds(10),
        BreakDuration = TimeSpan.FromSeconds(15),
    };

    private readonly FakeTimeProvider _time = new();
    private int _changes;

    private ClusterBreaker CreateBreaker() => new("canary", "shop", Settings, _time, NullLogger.Instance, () => _changes++);

    private static async Task<bool> SendAsync(ClusterBreaker breaker, int status)
    {
        var context = ResilienceContextPool.Shared.Get();
        try
        {
            var outcome = await breaker.ExecuteAsync((_, s) => ValueTask.FromResult(Outcome.FromResult(s)), context, status);
            return outcome.Exception is null;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static async Task SendManyAsync(ClusterBreaker breaker, int count, int status)
    {
        for (var i = 0; i < count; i++)
        {
            await SendAsync(breaker, status);
        }
    }

    [Fact]
    public async Task Opens_when_the_failure_ratio_is_crossed_with_enough_throughput()
    {
        using var breaker = CreateBreaker();

        await SendManyAsync(breaker, 4, 200);
        await SendManyAsync(breaker, 4, 500);
        Assert.Equal(BreakerState.Closed, breaker.State); // 8 requests: under the minimum throughput

        await SendManyAsync(breaker, 2, 502);

        Assert.Equal(BreakerState.Open, breaker.State);
        Assert.False(breaker.AcceptsTraffic);
        Assert.Contains("failure ratio", breaker.Reason, StringComparison.Ordinal);
        Assert.True(_changes > 0);
    }

    [Fact]
    public async Task Failures_below_the_ratio_keep_it_closed()
    {
        using var breaker = CreateBreaker();

        await SendManyAsync(breaker, 30, 200);
        await SendManyAsync(breaker, 10, 500);

        Assert.Equal(BreakerState.Closed, breaker.State);
    }

    [Fact]
    public async Task After_the_break_a_successful_trial_closes_it()
    {
        using var breaker = CreateBreaker();
        await SendManyAsync(breaker, 10, 500);

        _time.Advance(TimeSpan.FromSeconds(14));
        Assert.False(breaker.AcceptsTraffic);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(breaker.AcceptsTraffic);

        Assert.True(await SendAsync(breaker, 200));

        Assert.Equal(BreakerState.Closed, breaker.State);
        Assert.Null(breaker.Reason);
    }

    [Fact]
    public async Task After_the_break_a_failed_trial_opens_it_for_another_break()
    {
        using var breaker = CreateBreaker();
        await SendManyAsync(breaker, 10, 500);
        _time.Advance(Settings.BreakDuration);

        await SendAsync(breaker, 503);

        Assert.Equal(BreakerState.Open, breaker.State);
        Assert.False(breaker.AcceptsTraffic);
        _time.Advance(Settings.BreakDuration);
        Assert.True(breaker.AcceptsTraffic);
    }

    [Fact]
    public async Task Open_breaker_rejects_attempts_without_running_them()
    {
        using var breaker = CreateBreaker();
        await SendManyAsync(breaker, 10, 500);

        Assert.False(await SendAsync(breaker, 200));
    }

    [Fact]
    public async Task Client_aborts_do_not_count_as_failures()
    {
        using var breaker = CreateBreaker();

        await SendManyAsync(breaker, 20, 0);

        Assert.Equal(BreakerState.Closed, breaker.State);
    }

    [Fact]
    public async Task Manual_isolation_is_not_lifted_by_recovered_health()
    {
        using var breaker = CreateBreaker();
        await breaker.IsolateAsync(IsolationCause.Manual, "operator");

        await breaker.IsolateAsync(IsolationCause.Health, "0/1 healthy");
        await breaker.HealthRecoveredAsync();

        Assert.Equal(IsolationCause.Manual, breaker.Isolation);
        Assert.Equal(BreakerState.Isolated, breaker.State);
        Assert.Equal("operator", breaker.Reason);
        Assert.False(breaker.AcceptsTraffic);
    }

    [Fact]
    public async Task Health_isolation_is_lifted_when_health_returns()
    {
        using var breaker = CreateBreaker();
        await breaker.IsolateAsync(IsolationCause.Health, "0/1 healthy");
        Assert.False(breaker.AcceptsTraffic);

        await breaker.HealthRecoveredAsync();

        Assert.Equal(BreakerState.Closed, breaker.State);
        Assert.True(breaker.AcceptsTraffic);
    }

    [Fact]
    public async Task Reset_lifts_a_manual_isolation()
    {
        using var breaker = CreateBreaker();
        await breaker.IsolateAsync(IsolationCause.Manual, "operator");

        await breaker.ResetAsync();

        Assert.Equal((BreakerState.Closed, IsolationCause.None), (breaker.State, breaker.Isolation));
    }
}
