using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Proxy.Traffic.Health;
using Yarp.ReverseProxy.Forwarder;

namespace Proxy.Traffic.Tests.Health;

public class UpstreamFailureLogTests
{
    private static readonly HttpRequestException Refused = new(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:5103)");

    private readonly FakeTimeProvider _time = new();
    private readonly FakeLogger<UpstreamFailureLog> _logger = new();

    private IReadOnlyList<FakeLogRecord> Warnings => [.. _logger.Collector.GetSnapshot().Where(r => r.Level == LogLevel.Warning)];

    [Fact]
    public void The_first_failure_is_one_readable_line_without_a_stack_trace()
    {
        using var log = new UpstreamFailureLog(_time, _logger);

        log.Record("shop", "canary", ForwarderError.Request, Refused);

        var line = Assert.Single(Warnings);
        Assert.Null(line.Exception);
        Assert.Equal(
            "Upstream failure on cluster canary (route shop): Request (ConnectionError): Connection refused (127.0.0.1:5103). Further failures of this cluster are summarised every 00:00:10",
            line.Message);
    }

    [Fact]
    public void Failures_that_follow_are_one_summary_per_period_while_they_go_on()
    {
        using var log = new UpstreamFailureLog(_time, _logger);

        for (var i = 0; i < 1_000; i++)
        {
            log.Record("shop", "canary", ForwarderError.Request, Refused);
        }

        Assert.Single(Warnings);
        _time.Advance(UpstreamFailureLog.SummaryPeriod);
        Assert.Equal(2, Warnings.Count);
        Assert.Equal("Cluster canary: 999 more upstream failures in the last 00:00:10 (last: Request (ConnectionError): Connection refused (127.0.0.1:5103))", Warnings[1].Message);

        // Still failing: another summary, not another full line.
        for (var i = 0; i < 5; i++)
        {
            log.Record("shop", "canary", ForwarderError.RequestTimedOut, null);
        }

        _time.Advance(UpstreamFailureLog.SummaryPeriod);
        Assert.Equal("Cluster canary: 5 more upstream failures in the last 00:00:10 (last: RequestTimedOut)", Warnings[2].Message);

        // A quiet period ends the summaries; the next failure is a full line again.
        _time.Advance(UpstreamFailureLog.SummaryPeriod);
        Assert.Equal(3, Warnings.Count);
        log.Record("shop", "canary", ForwarderError.Request, Refused);
        Assert.StartsWith("Upstream failure on cluster canary", Warnings[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_cluster_has_its_own_line()
    {
        using var log = new UpstreamFailureLog(_time, _logger);

        log.Record("shop", "canary", ForwarderError.Request, Refused);
        log.Record("shop", "green", ForwarderError.ResponseBodyDestination, new IOException("reset"));

        Assert.Equal(["canary", "green"], Warnings.Select(w => w.GetStructuredStateValue("ClusterId")));
        Assert.Contains("ResponseBodyDestination: reset", Warnings[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_failure_with_its_stack_trace_is_at_debug_only()
    {
        using var log = new UpstreamFailureLog(_time, _logger);

        log.Record("shop", "canary", ForwarderError.Request, Refused);
        log.Record("shop", "canary", ForwarderError.Request, Refused);

        var details = _logger.Collector.GetSnapshot().Where(r => r.Exception is not null).ToList();
        Assert.Equal(2, details.Count);
        Assert.All(details, d => Assert.Equal(LogLevel.Debug, d.Level));
    }
}
