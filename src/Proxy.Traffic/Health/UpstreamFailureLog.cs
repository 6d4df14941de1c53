using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Proxy.Traffic.Health;

/// <summary>
/// Logs the upstream failures of forwarded requests so that an operator can read them: the first failure of a cluster
/// is one Warning line (no stack trace), the ones that follow within <see cref="SummaryPeriod"/> are counted and
/// written as one summary line per period while they go on. Every failure, with its stack trace, is logged at Debug.
/// </summary>
public sealed partial class UpstreamFailureLog(TimeProvider timeProvider, ILogger<UpstreamFailureLog> logger) : IDisposable
{
    /// <summary>How long failures of one cluster are gathered into one summary line.</summary>
    public static readonly TimeSpan SummaryPeriod = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, ClusterFailures> _clusters = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Records one failure of a request forwarded to <paramref name="clusterId"/>; lock-free, allocation-free unless a line is written.</summary>
    internal void Record(string routeId, string clusterId, ForwarderError error, Exception? exception)
    {
        LogDetail(logger, clusterId, routeId, error, exception);
        var failures = _clusters.TryGetValue(clusterId, out var found)
            ? found
            : _clusters.GetOrAdd(clusterId, static (id, state) => new ClusterFailures(id, state.timeProvider, state.logger), (timeProvider, logger));
        failures.Record(routeId, error, exception);
    }

    public void Dispose()
    {
        foreach (var failures in _clusters.Values)
        {
            failures.Dispose();
        }
    }

    private static string Describe(ForwarderError error, Exception? exception) => exception switch
    {
        HttpRequestException { HttpRequestError: var kind } http => $"{error} ({kind}): {http.Message}",
        null => error.ToString(),
        _ => $"{error}: {exception.Message}",
    };

    [LoggerMessage(EventId = EventIds.UpstreamFailure, Level = LogLevel.Warning, Message = "Upstream failure on cluster {ClusterId} (route {RouteId}): {Failure}. Further failures of this cluster are summarised every {Period}")]
    private static partial void LogFirst(ILogger logger, string clusterId, string routeId, string failure, TimeSpan period);

    [LoggerMessage(EventId = EventIds.UpstreamFailureSummary, Level = LogLevel.Warning, Message = "Cluster {ClusterId}: {Count} more upstream failures in the last {Period} (last: {Failure})")]
    private static partial void LogSummary(ILogger logger, string clusterId, int count, TimeSpan period, string failure);

    [LoggerMessage(EventId = EventIds.UpstreamFailureDetail, Level = LogLevel.Debug, Message = "Upstream failure on cluster {ClusterId} (route {RouteId}): {Error}")]
    private static partial void LogDetail(ILogger logger, string clusterId, string routeId, ForwarderError error, Exception? exception);

    /// <summary>One cluster's period: open from its first failure until a period passes without one.</summary>
    private sealed class ClusterFailures : IDisposable
    {
        private readonly string _clusterId;
        private readonly ILogger _logger;
        private readonly ITimer _timer;
        private int _open;
        private int _suppressed;
        private volatile Exception? _lastException;
        private ForwarderError _lastError;

        public ClusterFailures(string clusterId, TimeProvider timeProvider, ILogger logger)
        {
            _clusterId = clusterId;
            _logger = logger;
            _timer = timeProvider.CreateTimer(static state => ((ClusterFailures)state!).PeriodEnded(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        public void Record(string routeId, ForwarderError error, Exception? exception)
        {
            if (Interlocked.CompareExchange(ref _open, 1, 0) == 0)
            {
                LogFirst(_logger, _clusterId, routeId, Describe(error, exception), SummaryPeriod);
                _timer.Change(SummaryPeriod, Timeout.InfiniteTimeSpan);
                return;
            }

            // The last failure's description is only for the summary: a torn pair of error and exception is harmless.
            _lastError = error;
            _lastException = exception;
            Interlocked.Increment(ref _suppressed);
        }

        public void Dispose() => _timer.Dispose();

        private void PeriodEnded()
        {
            // Close first: a failure from now on opens a new period with its own line, none is lost between the two.
            Volatile.Write(ref _open, 0);
            var count = Interlocked.Exchange(ref _suppressed, 0);
            if (count == 0)
            {
                return;
            }

            LogSummary(_logger, _clusterId, count, SummaryPeriod, Describe(_lastError, _lastException));

            // Failures went on: keep summarising rather than writing a full line again.
            if (Interlocked.CompareExchange(ref _open, 1, 0) == 0)
            {
                _timer.Change(SummaryPeriod, Timeout.InfiniteTimeSpan);
            }
        }
    }
}
