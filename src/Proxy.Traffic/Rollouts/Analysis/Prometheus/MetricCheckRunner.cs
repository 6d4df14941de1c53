using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Proxy.Traffic.Telemetry;

namespace Proxy.Traffic.Rollouts.Analysis.Prometheus;

/// <summary>
/// Runs the Prometheus checks of a rollout's analysis off the rollout controller's gate: the first tick of an analysis
/// starts every check's query at once and the verdict waits (a later tick polls) until all have answered or timed out after
/// <see cref="QueryTimeout"/>, so a slow Prometheus delays that verdict by at most the timeout and never holds the
/// operators' commands. A query that fails in any way makes its check inconclusive.
/// </summary>
public sealed partial class MetricCheckRunner
{
    /// <summary>How long one query may take.</summary>
    public static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);

    private readonly IPrometheusClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Counter<long>? _evaluated;
    private readonly Lock _lock = new();

    // The latest analysis of each route: ticks come one at a time, but the queries finish on other threads.
    private readonly Dictionary<string, Evaluation> _evaluations = new(StringComparer.OrdinalIgnoreCase);

    public MetricCheckRunner(IPrometheusClient client, TimeProvider time, ILogger<MetricCheckRunner> logger, IMeterFactory? meters = null)
    {
        _client = client;
        _time = time;
        _logger = logger;
        _evaluated = meters?.Create(TrafficTelemetry.MeterName).CreateCounter<long>(
            "proxy.rollout.metric_checks", "{check}", "Prometheus checks of rollout analyses, by route, check and outcome (pass, fail, inconclusive).");
    }

    /// <summary>
    /// The figures of the rollout's checks for the analysis due at its <see cref="RolloutState.NextAnalysisAt"/>: empty when the
    /// plan has none; null while their queries run (the first call starts them).
    /// </summary>
    public IReadOnlyList<MetricCheckFigures>? Poll(RolloutState rollout)
    {
        if (rollout.Plan.Analysis.Metrics is not { Count: > 0 } checks)
        {
            return [];
        }

        var key = new EvaluationKey(rollout.Id, rollout.Step, rollout.NextAnalysisAt);
        lock (_lock)
        {
            if (!_evaluations.TryGetValue(rollout.RouteId, out var evaluation) || evaluation.Key != key)
            {
                evaluation = new Evaluation(key, EvaluateAsync(rollout, checks));
                _evaluations[rollout.RouteId] = evaluation;
            }

            // Kept until the next analysis replaces it, so that a verdict delayed by the gateway's own figures reuses it.
            return evaluation.Figures switch
            {
                { IsCompletedSuccessfully: true } done => done.Result,
                { IsCompleted: true } broken => [.. checks.Select(c => MetricCheckFigures.Inconclusive(c, $"the check could not run: {broken.Exception?.GetBaseException().Message}"))],
                _ => null,
            };
        }
    }

    private async Task<IReadOnlyList<MetricCheckFigures>> EvaluateAsync(RolloutState rollout, IReadOnlyList<MetricCheck> checks) =>
        await Task.WhenAll(checks.Select(check => EvaluateAsync(rollout, check))).ConfigureAwait(false);

    private async Task<MetricCheckFigures> EvaluateAsync(RolloutState rollout, MetricCheck check)
    {
        var query = PrometheusQueryText.Substitute(check.Prometheus.Query, rollout.RouteId, rollout.Plan.Candidate, rollout.Stable, rollout.Plan.Analysis.Interval);
        using var timeout = new CancellationTokenSource(QueryTimeout, _time);
        PrometheusQueryResult result;
        try
        {
            result = await _client.QueryAsync(check.Prometheus.Address, query, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            result = PrometheusQueryResult.NoValue(string.Create(CultureInfo.InvariantCulture, $"Prometheus at {check.Prometheus.Address} did not answer within {QueryTimeout.TotalSeconds:0} s"));
        }
        catch (Exception ex)
        {
            LogQueryFailed(_logger, rollout.RouteId, check.Name, ex);
            result = PrometheusQueryResult.NoValue($"the query failed: {ex.Message}");
        }

        var figures = result.Value is { } value ? MetricCheckFigures.Of(check, value) : MetricCheckFigures.Inconclusive(check, result.Problem ?? "no value");
        LogEvaluated(_logger, rollout.RouteId, check.Name, figures.Outcome, figures.Value, figures.Detail);
        _evaluated?.Add(
            1,
            new KeyValuePair<string, object?>(TrafficTelemetry.RouteTag, rollout.RouteId),
            new KeyValuePair<string, object?>("proxy.check", check.Name),
            new KeyValuePair<string, object?>("proxy.outcome", figures.Outcome.ToString().ToLowerInvariant()));
        return figures;
    }

    private readonly record struct EvaluationKey(long RolloutId, int Step, DateTimeOffset DueAt);

    private sealed record Evaluation(EvaluationKey Key, Task<IReadOnlyList<MetricCheckFigures>> Figures);

    [LoggerMessage(EventId = EventIds.MetricCheckQueryFailed, Level = LogLevel.Warning, Message = "Route {RouteId}: the query of metric check {Check} failed; the check is inconclusive")]
    private static partial void LogQueryFailed(ILogger logger, string routeId, string check, Exception exception);

    [LoggerMessage(EventId = EventIds.MetricCheckEvaluated, Level = LogLevel.Debug, Message = "Route {RouteId}: metric check {Check} {Outcome}: value {Value} {Detail}")]
    private static partial void LogEvaluated(ILogger logger, string routeId, string check, VerdictOutcome outcome, double? value, string? detail);
}
