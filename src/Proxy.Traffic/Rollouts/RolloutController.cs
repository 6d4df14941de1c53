using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Proxy.Traffic.Rollouts.Metrics;
using Proxy.Traffic.Rollouts.State;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Rollouts;

/// <summary>
/// Drives every route's rollout: a hosted service that ticks on <see cref="TimeProvider"/>, and the commands of the
/// admin API (start, pause, resume, abort, promote). Ticks and commands serialise on one gate; every change of a
/// rollout is persisted before it is visible, so a restarted gateway resumes each rollout at its step with the time
/// already spent there counted (downtime is not).
/// </summary>
public sealed partial class RolloutController : BackgroundService
{
    /// <summary>How often rollouts are looked at: the reaction time of an analysis whose window has ended.</summary>
    public static readonly TimeSpan TickPeriod = TimeSpan.FromMilliseconds(100);

    private readonly SplitStore _store;
    private readonly IRolloutStateRepository _repository;
    private readonly RolloutRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger<RolloutController> _logger;
    private readonly RolloutProgression _progression;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _loaded;

    public RolloutController(
        SplitStore store, IRolloutMetricsSource metrics, IRolloutStateRepository repository, RolloutRegistry registry, TimeProvider time, ILogger<RolloutController> logger)
    {
        _store = store;
        _repository = repository;
        _registry = registry;
        _time = time;
        _logger = logger;
        _progression = new RolloutProgression(store, metrics, new RolloutSplitWriter(store), logger);
    }

    /// <summary>Looks at every active rollout once: analyses whose window ended, steps whose time is spent.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
            await AdvanceAllAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Starts a rollout of <see cref="RolloutPlan.Candidate"/> on a route: its first step is in force when this returns.</summary>
    public async Task<RolloutCommandResult> StartRolloutAsync(string routeId, RolloutPlan plan, string actor, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
            return await StartUnderGateAsync(routeId, plan, actor, declaration: null).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Starts the rollouts a configuration file declares: each declaration once (a restart or a reload with the same
    /// declaration starts nothing), and only on a route where no rollout runs. Called after the file's splits are applied.
    /// </summary>
    public async Task StartDeclaredAsync(IReadOnlyDictionary<string, RolloutPlan> declared, CancellationToken cancellationToken)
    {
        if (declared.Count == 0)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);

            // First let running rollouts see the file's split changes (which abort them), so a new declaration can start.
            await AdvanceAllAsync().ConfigureAwait(false);
            foreach (var (routeId, plan) in declared)
            {
                var fingerprint = State.RolloutStateJson.Fingerprint(plan);
                var latest = _registry.Get(routeId);
                if (latest?.Declaration == fingerprint)
                {
                    continue;
                }

                try
                {
                    var result = latest is { IsActive: true }
                        ? RolloutCommandResult.Conflict(latest, $"rollout {latest.Id} is running")
                        : await StartUnderGateAsync(routeId, plan, Traffic.State.SplitActions.ConfigActor, fingerprint).ConfigureAwait(false);
                    if (result.Outcome != RolloutCommandOutcome.Done)
                    {
                        LogDeclaredNotStarted(_logger, routeId, result.Detail ?? result.Outcome.ToString());
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A state store that cannot be written (a shared store that is down) must not stop the file from applying.
                    LogDeclaredNotStarted(_logger, routeId, ex.Message);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Holds the current step (analysis goes on; time at the step stops counting).</summary>
    public Task<RolloutCommandResult> PauseAsync(string routeId, string actor, CancellationToken cancellationToken) =>
        CommandAsync(routeId, (rollout, now) => Task.FromResult(rollout.Phase == RolloutPhase.Paused
            ? rollout
            : (rollout with { Phase = RolloutPhase.Paused, PausedAt = now }).WithEvent(now, $"paused by {actor}")), cancellationToken);

    /// <summary>Goes on after a pause; at a step without pause whose analysis passed, enters the next step.</summary>
    public Task<RolloutCommandResult> ResumeAsync(string routeId, string actor, CancellationToken cancellationToken) =>
        CommandAsync(routeId, async (rollout, now) =>
        {
            if (rollout.AwaitingResume)
            {
                return await _progression.EnterStepAsync(rollout.WithEvent(now, $"resumed by {actor}"), rollout.Step + 1, now).ConfigureAwait(false);
            }

            if (rollout.Phase != RolloutPhase.Paused)
            {
                return rollout;
            }

            var paused = now - (rollout.PausedAt ?? now);
            return (rollout with
            {
                Phase = RolloutPhase.Progressing,
                PausedAt = null,
                InconclusiveSince = null,
                StepStartedAt = rollout.StepStartedAt + paused,
            }).WithEvent(now, $"resumed by {actor}");
        }, cancellationToken);

    /// <summary>Ends the rollout and sends all traffic back to stable.</summary>
    public Task<RolloutCommandResult> AbortAsync(string routeId, string actor, CancellationToken cancellationToken) =>
        CommandAsync(routeId, (rollout, now) => _progression.RollbackAsync(rollout, now, RolloutPhase.Aborted, $"aborted by {actor}"), cancellationToken);

    /// <summary>Promotes the candidate now, skipping the remaining steps.</summary>
    public Task<RolloutCommandResult> PromoteAsync(string routeId, string actor, CancellationToken cancellationToken) =>
        CommandAsync(routeId, (rollout, now) => _progression.PromoteAsync(rollout, now, $"promoted by {actor} at step {rollout.Step + 1}"), cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TickPeriod, _time);
        do
        {
            try
            {
                await TickAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The state repository or the split store failed: nothing was saved, the next tick tries again.
                LogTickFailed(_logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }

    private async Task AdvanceAllAsync()
    {
        foreach (var rollout in _registry.All.Where(r => r.IsActive))
        {
            var next = await _progression.AdvanceAsync(rollout, _time.GetUtcNow()).ConfigureAwait(false);
            if (!ReferenceEquals(next, rollout))
            {
                await SaveAsync(next).ConfigureAwait(false);
            }
        }
    }

    private async Task<RolloutCommandResult> StartUnderGateAsync(string routeId, RolloutPlan plan, string actor, string? declaration)
    {
        var previous = _registry.Get(routeId);
        if (previous is { IsActive: true })
        {
            return RolloutCommandResult.Conflict(previous, $"rollout {previous.Id} of {previous.Plan.Candidate} is {previous.Phase}; abort it first");
        }

        if (!_store.TryGetSnapshot(routeId, out var split))
        {
            return new RolloutCommandResult(RolloutCommandOutcome.RouteNotFound, previous);
        }

        if (split.IndexOf(plan.Candidate) < 0 || string.Equals(split.Definition.Stable, plan.Candidate, StringComparison.Ordinal))
        {
            return RolloutCommandResult.Conflict(previous, $"'{plan.Candidate}' must be a cluster of the split other than its stable cluster '{split.Definition.Stable}'");
        }

        var now = _time.GetUtcNow();
        var created = new RolloutState(
            split.RouteId, (previous?.Id ?? 0) + 1, plan, split.Definition.Stable, actor, RolloutPhase.Progressing, 0, split.Revision,
            now, now, now + plan.Analysis.Interval, null, false, false, 0, null, [], [], now)
        {
            Declaration = declaration ?? previous?.Declaration,
        };
        created = created.WithEvent(now, $"started by {actor}: {(plan.Strategy == RolloutStrategy.BlueGreen ? "blue/green" : "canary")} rollout of {plan.Candidate} in {plan.Steps.Count} steps");
        var started = await _progression.EnterStepAsync(created, 0, now).ConfigureAwait(false);
        await SaveAsync(started).ConfigureAwait(false);
        return started.IsActive ? RolloutCommandResult.Done(started) : RolloutCommandResult.Conflict(started, started.Events[^1].Message);
    }

    private async Task<RolloutCommandResult> CommandAsync(
        string routeId, Func<RolloutState, DateTimeOffset, Task<RolloutState>> command, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
            if (_registry.Get(routeId) is not { } rollout)
            {
                return new RolloutCommandResult(RolloutCommandOutcome.NoRollout, null);
            }

            if (!rollout.IsActive)
            {
                return RolloutCommandResult.Conflict(rollout, $"rollout {rollout.Id} has ended ({rollout.Phase})");
            }

            var next = await command(rollout, _time.GetUtcNow()).ConfigureAwait(false);
            if (!ReferenceEquals(next, rollout))
            {
                await SaveAsync(next).ConfigureAwait(false);
            }

            return RolloutCommandResult.Done(next);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task EnsureLoadedAsync(CancellationToken cancellationToken)
    {
        if (_loaded)
        {
            return;
        }

        var now = _time.GetUtcNow();
        foreach (var stored in await _repository.LoadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!stored.IsActive)
            {
                _registry.Set(stored);
                continue;
            }

            // Downtime is not time spent at the step; the metric windows start empty, so a full window comes first.
            var downtime = now - stored.SavedAt;
            var resumed = (stored with
            {
                StepStartedAt = stored.StepStartedAt + downtime,
                PausedAt = stored.PausedAt + downtime,
                InconclusiveSince = stored.InconclusiveSince + downtime,
                NextAnalysisAt = now + stored.Plan.Analysis.Interval,
            }).WithEvent(now, $"resumed at step {stored.Step + 1} after a restart");
            LogResumed(_logger, stored.RouteId, stored.Id, stored.Step + 1);
            await SaveAsync(resumed).ConfigureAwait(false);
        }

        _loaded = true;
    }

    private async Task SaveAsync(RolloutState rollout)
    {
        var saved = rollout with { SavedAt = _time.GetUtcNow() };
        await _repository.SaveAsync(saved, CancellationToken.None).ConfigureAwait(false);
        _registry.Set(saved);
    }

    [LoggerMessage(EventId = 43, Level = LogLevel.Information, Message = "Route {RouteId}: rollout {RolloutId} resumed at step {Step} after a restart")]
    private static partial void LogResumed(ILogger logger, string routeId, long rolloutId, int step);

    [LoggerMessage(EventId = 45, Level = LogLevel.Warning, Message = "Route {RouteId}: the rollout declared in configuration was not started: {Reason}")]
    private static partial void LogDeclaredNotStarted(ILogger logger, string routeId, string reason);

    [LoggerMessage(EventId = 44, Level = LogLevel.Error, Message = "Rollout tick failed; retrying on the next tick")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}
