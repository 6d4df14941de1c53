using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;

namespace Proxy.Traffic.Health;

/// <summary>
/// The circuit breaker of one cluster: a Polly circuit breaker over the outcomes of the requests forwarded to it,
/// with manual control for operators and for active health.
/// </summary>
public sealed partial class ClusterBreaker : IDisposable
{
    private readonly CircuitBreakerStateProvider _stateProvider = new();
    private readonly CircuitBreakerManualControl _manualControl = new();
    private readonly ResiliencePipeline<int> _pipeline;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Action _onChanged;
    private readonly Lock _lock = new();
    private ITimer? _breakTimer;
    private volatile bool _trialDue;
    private volatile string? _reason;
    private IsolationCause _isolation;
    private double _lastFailureRate;
    private int _lastFailureCount;

    public ClusterBreaker(string clusterId, string routes, CircuitBreakerSettings settings, TimeProvider timeProvider, ILogger logger, Action onChanged)
    {
        ClusterId = clusterId;
        Routes = routes;
        Settings = settings;
        _timeProvider = timeProvider;
        _logger = logger;
        _onChanged = onChanged;
        _pipeline = new ResiliencePipelineBuilder<int> { TimeProvider = timeProvider }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<int>
            {
                FailureRatio = settings.FailureRatio,
                MinimumThroughput = settings.MinimumThroughput,
                SamplingDuration = settings.SamplingDuration,
                BreakDuration = settings.BreakDuration,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is not null || ForwardingOutcome.IsFailure(args.Outcome.Result)),
                BreakDurationGenerator = args =>
                {
                    _lastFailureRate = args.FailureRate;
                    _lastFailureCount = args.FailureCount;
                    return ValueTask.FromResult(settings.BreakDuration);
                },
                StateProvider = _stateProvider,
                ManualControl = _manualControl,
                OnOpened = args => OnOpened(args.BreakDuration, args.IsManual, args.Outcome),
                OnHalfOpened = _ => OnHalfOpened(),
                OnClosed = args => OnClosed(args.IsManual),
            })
            .Build();
    }

    /// <summary>The cluster this breaker guards.</summary>
    public string ClusterId { get; }

    /// <summary>The routes whose splits include the cluster, for logs.</summary>
    public string Routes { get; }

    /// <summary>The thresholds in force.</summary>
    public CircuitBreakerSettings Settings { get; }

    /// <summary>The state as operators see it.</summary>
    public BreakerState State => _stateProvider.CircuitState switch
    {
        CircuitState.Closed => BreakerState.Closed,
        CircuitState.HalfOpen => BreakerState.HalfOpen,
        CircuitState.Open => BreakerState.Open,
        _ => BreakerState.Isolated,
    };

    /// <summary>Who isolated the cluster, if anyone.</summary>
    public IsolationCause Isolation
    {
        get
        {
            lock (_lock)
            {
                return _isolation;
            }
        }
    }

    /// <summary>Why the breaker is not closed, with the figures that tripped it.</summary>
    /// <remarks>
    /// An isolation is recorded before Polly's circuit is isolated, so during that instant the circuit still reads closed:
    /// the isolation is asked first, so that a breaker shown as isolated always has its reason.
    /// </remarks>
    public string? Reason => Isolation != IsolationCause.None || State != BreakerState.Closed ? _reason : null;

    /// <summary>
    /// True when the split may send requests here: closed, half-open, or open with its break elapsed (the next
    /// request is the trial that half-opens it). Isolated clusters get nothing.
    /// </summary>
    public bool AcceptsTraffic => _stateProvider.CircuitState switch
    {
        CircuitState.Closed or CircuitState.HalfOpen => true,
        CircuitState.Open => _trialDue,
        _ => false,
    };

    /// <summary>Runs a forwarding attempt through the breaker; a rejected attempt comes back as a <see cref="BrokenCircuitException"/> outcome without running.</summary>
    public ValueTask<Outcome<int>> ExecuteAsync<TState>(Func<ResilienceContext, TState, ValueTask<Outcome<int>>> attempt, ResilienceContext context, TState state) =>
        _pipeline.ExecuteOutcomeAsync(attempt, context, state);

    /// <summary>Holds the cluster out of rotation. A manual isolation is never replaced by a health one.</summary>
    public async ValueTask IsolateAsync(IsolationCause cause, string reason)
    {
        lock (_lock)
        {
            if (_isolation == IsolationCause.Manual && cause == IsolationCause.Health)
            {
                return;
            }

            if (_isolation == cause)
            {
                return;
            }

            _isolation = cause;
            _reason = reason;
        }

        LogIsolated(_logger, ClusterId, Routes, cause, reason);
        await _manualControl.IsolateAsync().ConfigureAwait(false);
        _onChanged();
    }

    /// <summary>Closes the breaker and lifts any isolation (an operator's reset).</summary>
    public ValueTask ResetAsync() => CloseAsync(onlyIf: null);

    /// <summary>Lifts a manual isolation (an operator's reset on another instance); an open breaker or a health isolation stays.</summary>
    public ValueTask ManualIsolationLiftedAsync() => CloseAsync(onlyIf: IsolationCause.Manual);

    /// <summary>Lifts an isolation that active health made; a manual one stays.</summary>
    public ValueTask HealthRecoveredAsync() => CloseAsync(onlyIf: IsolationCause.Health);

    private async ValueTask CloseAsync(IsolationCause? onlyIf)
    {
        lock (_lock)
        {
            if (onlyIf is { } cause && _isolation != cause)
            {
                return;
            }

            _isolation = IsolationCause.None;
            _reason = null;
        }

        await _manualControl.CloseAsync().ConfigureAwait(false);
        _onChanged();
    }

    private ValueTask OnOpened(TimeSpan breakDuration, bool isManual, Outcome<int> outcome)
    {
        if (isManual)
        {
            return ValueTask.CompletedTask;
        }

        var last = outcome.Exception?.GetType().Name ?? (outcome.Result == ForwardingOutcome.TransportFailure ? "transport error" : $"HTTP {outcome.Result}");
        if (_lastFailureCount == 0)
        {
            // Reopened from half-open: Polly reports no window figures for a failed trial.
            _reason = $"trial request failed ({last})";
            LogTrialFailed(_logger, ClusterId, Routes, last, breakDuration);
        }
        else
        {
            _reason = $"{_lastFailureCount} failures, failure ratio {_lastFailureRate:0.##} ≥ {Settings.FailureRatio:0.##} over {Settings.SamplingDuration.TotalSeconds:0.#}s (last: {last})";
            LogOpened(_logger, ClusterId, Routes, _lastFailureCount, _lastFailureRate, Settings.FailureRatio, Settings.SamplingDuration, last, breakDuration);
        }

        lock (_lock)
        {
            _trialDue = false;
            _breakTimer?.Dispose();
            _breakTimer = _timeProvider.CreateTimer(_ => TrialDue(), null, breakDuration, Timeout.InfiniteTimeSpan);
        }

        _onChanged();
        return ValueTask.CompletedTask;
    }

    private void TrialDue()
    {
        _trialDue = true;
        _onChanged();
    }

    private ValueTask OnHalfOpened()
    {
        LogHalfOpened(_logger, ClusterId, Routes);
        _onChanged();
        return ValueTask.CompletedTask;
    }

    private ValueTask OnClosed(bool isManual)
    {
        lock (_lock)
        {
            _trialDue = false;
            _breakTimer?.Dispose();
            _breakTimer = null;
        }

        if (!isManual)
        {
            _reason = null;
        }

        LogClosed(_logger, ClusterId, Routes, isManual);
        _onChanged();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _breakTimer?.Dispose();
        }
    }

    [LoggerMessage(EventId = EventIds.BreakerOpened, Level = LogLevel.Warning, Message = "Breaker of cluster {ClusterId} (routes {Routes}) opened: {FailureCount} failures, ratio {FailureRate:0.###} ≥ {Threshold} over {Window} (last outcome: {Last}); out of rotation for {BreakDuration}")]
    private static partial void LogOpened(ILogger logger, string clusterId, string routes, int failureCount, double failureRate, double threshold, TimeSpan window, string last, TimeSpan breakDuration);

    [LoggerMessage(EventId = EventIds.BreakerHalfOpened, Level = LogLevel.Information, Message = "Breaker of cluster {ClusterId} (routes {Routes}) half-open: letting a trial request through")]
    private static partial void LogHalfOpened(ILogger logger, string clusterId, string routes);

    [LoggerMessage(EventId = EventIds.BreakerClosed, Level = LogLevel.Information, Message = "Breaker of cluster {ClusterId} (routes {Routes}) closed (manual: {IsManual}); the cluster is back at its weight")]
    private static partial void LogClosed(ILogger logger, string clusterId, string routes, bool isManual);

    [LoggerMessage(EventId = EventIds.ClusterIsolated, Level = LogLevel.Warning, Message = "Cluster {ClusterId} (routes {Routes}) isolated by {Cause}: {Reason}")]
    private static partial void LogIsolated(ILogger logger, string clusterId, string routes, IsolationCause cause, string reason);

    [LoggerMessage(EventId = EventIds.BreakerTrialFailed, Level = LogLevel.Warning, Message = "Breaker of cluster {ClusterId} (routes {Routes}) reopened: the trial request failed ({Last}); out of rotation for {BreakDuration}")]
    private static partial void LogTrialFailed(ILogger logger, string clusterId, string routes, string last, TimeSpan breakDuration);
}
