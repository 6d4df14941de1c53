using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Proxy.Traffic.Rollouts.Coordination;
using Proxy.Traffic.Rollouts.Metrics;
using Proxy.Traffic.Splitting;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Rollouts;

/// <summary>
/// Drives every route's rollout: a hosted service that ticks on <see cref="TimeProvider"/>, and the commands of the
/// admin API (start, pause, resume, abort, promote). Ticks and commands serialise on one gate; every change of a
/// rollout is persisted before it is visible, so a restarted gateway resumes each rollout at its step with the time
/// already spent there counted (downtime is not). With several instances (<see cref="IRolloutCoordination.IsShared"/>)
/// every instance re-reads the rollouts each tick, only the holder of a rollout's lease drives it, and a command given
/// to another instance is relayed to that leader; when the leader dies, the next instance to take the lease continues.
/// </summary>
public sealed partial class RolloutController : BackgroundService
{
    /// <summary>How often rollouts are looked at: the reaction time of an analysis whose window has ended.</summary>
    public static readonly TimeSpan TickPeriod = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How often a single instance looks while it has nothing to drive (no rollout running, no post-rollout call
    /// outstanding): a rollout that starts brings <see cref="TickPeriod"/> back at once, so this only saves the idle
    /// process ten wake-ups a second. With several instances every tick re-reads the fleet's rollouts, so they keep
    /// <see cref="TickPeriod"/>.
    /// </summary>
    public static readonly TimeSpan IdleTickPeriod = TimeSpan.FromSeconds(1);

    /// <summary>How long a command relayed to the instance that leads a rollout may wait for its answer.</summary>
    public static readonly TimeSpan RelayTimeout = TimeSpan.FromSeconds(5);

    private readonly SplitStore _store;
    private readonly RolloutStore _rollouts;
    private readonly RolloutRegistry _registry;
    private readonly IRolloutCoordination _coordination;
    private readonly TimeProvider _time;
    private readonly ILogger<RolloutController> _logger;
    private readonly RolloutProgression _progression;
    private readonly Webhooks.RolloutHookCaller? _hooks;
    private readonly SemaphoreSlim _gate = new(1, 1);

    // The routes whose rollout this instance drives (holds the lease of).
    private readonly HashSet<string> _led = new(StringComparer.OrdinalIgnoreCase);
    private bool _loaded;
    private bool _unavailable;
    private PeriodicTimer? _ticks;

    public RolloutController(
        SplitStore store,
        IRolloutMetricsSource metrics,
        RolloutStore rollouts,
        IRolloutCoordination coordination,
        RolloutRegistry registry,
        TimeProvider time,
        ILogger<RolloutController> logger,
        Mirroring.MirrorStore? mirrors = null,
        Fleet.IFleetRevisions? fleet = null,
        Webhooks.RolloutHookCaller? hooks = null,
        Analysis.Prometheus.MetricCheckRunner? metricChecks = null,
        Health.IClusterOutages? outages = null)
    {
        _store = store;
        _rollouts = rollouts;
        _coordination = coordination;
        _registry = registry;
        _time = time;
        _logger = logger;
        _hooks = hooks;
        _progression = new RolloutProgression(store, metrics, new RolloutSplitWriter(store), logger, mirrors, fleet, hooks, metricChecks, outages);
    }

    /// <summary>Looks at every active rollout once: analyses whose window ended, steps whose time is spent.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await LoadAsync(cancellationToken).ConfigureAwait(false);
            await AdvanceAllAsync(cancellationToken).ConfigureAwait(false);
            await NotePostRolloutCallsAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            PaceTicks();
            _gate.Release();
        }
    }

    /// <summary>The period of the loop's ticks in force (<see cref="TickPeriod"/>, or <see cref="IdleTickPeriod"/> while there is nothing to drive); null until the loop runs.</summary>
    internal TimeSpan? CurrentTickPeriod => _ticks?.Period;

    /// <summary>Starts a rollout of <see cref="RolloutPlan.Candidate"/> on a route: its first step is in force when this returns.</summary>
    public async Task<RolloutCommandResult> StartRolloutAsync(string routeId, RolloutPlan plan, string actor, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await LoadAsync(cancellationToken).ConfigureAwait(false);
            return await StartUnderGateAsync(routeId, plan, actor, declaration: null, cancellationToken).ConfigureAwait(false);
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
    public Task StartDeclaredAsync(IReadOnlyDictionary<string, RolloutPlan> declared, CancellationToken cancellationToken) =>
        StartDeclaredAsync(declared, new Dictionary<string, string>(), cancellationToken);

    /// <summary>The same, telling declarations apart by <paramref name="fingerprints"/> where given (a declaration that names a template), by their plan elsewhere.</summary>
    public async Task StartDeclaredAsync(IReadOnlyDictionary<string, RolloutPlan> declared, IReadOnlyDictionary<string, string> fingerprints, CancellationToken cancellationToken)
    {
        if (declared.Count == 0)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await LoadAsync(cancellationToken).ConfigureAwait(false);

            // First let running rollouts see the file's split changes (which abort them), so a new declaration can start.
            await AdvanceAllAsync(cancellationToken).ConfigureAwait(false);
            foreach (var (routeId, plan) in declared)
            {
                var fingerprint = fingerprints.TryGetValue(routeId, out var given) ? given : StateJson.Fingerprint(plan);
                var latest = _registry.Get(routeId);
                if (latest?.Declaration == fingerprint)
                {
                    continue;
                }

                try
                {
                    if (latest is not { IsActive: true } && !await _coordination.TryLeadAsync(routeId, cancellationToken).ConfigureAwait(false))
                    {
                        // Every instance reads the same file: the one holding the route's lease starts it.
                        LogDeclaredLedElsewhere(_logger, routeId);
                        continue;
                    }

                    var result = latest is { IsActive: true }
                        ? RolloutCommandResult.Conflict(latest, $"rollout {latest.Id} is running")
                        : await StartUnderGateAsync(routeId, plan, SplitActions.ConfigActor, fingerprint, cancellationToken).ConfigureAwait(false);
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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TickPeriod, _time);
        _ticks = timer;
        do
        {
            try
            {
                await TickAsync(stoppingToken).ConfigureAwait(false);
                _unavailable = false;
            }
            catch (StateUnavailableException ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The shared store is down: rollouts hold where they are (their splits stay in force); logged once per outage.
                if (!_unavailable)
                {
                    _unavailable = true;
                    LogStateUnavailable(_logger, ex.Message);
                }
            }
            catch (RolloutLeaseLostException ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogLeaseLost(_logger, ex.Message);
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

    private async Task AdvanceAllAsync(CancellationToken cancellationToken)
    {
        foreach (var latest in _registry.All)
        {
            if (!latest.IsActive)
            {
                await StopLeadingAsync(latest.RouteId).ConfigureAwait(false);
                continue;
            }

            if (await LeadAsync(latest, cancellationToken).ConfigureAwait(false) is not { } rollout)
            {
                continue;
            }

            if (_coordination.IsShared)
            {
                if (_store.TryGetSnapshot(rollout.RouteId, out var split) && split.Revision < rollout.Revision)
                {
                    continue; // this instance has not applied the rollout's latest split yet: the next sync pass brings it
                }

                foreach (var command in await _coordination.TakeRelayedAsync(rollout.RouteId, cancellationToken).ConfigureAwait(false))
                {
                    var result = await ApplyAsync(rollout, command).ConfigureAwait(false);
                    rollout = result.State ?? rollout;
                    await _coordination.ReplyAsync(command, new RolloutCommandReply(result.Outcome, result.Detail), cancellationToken).ConfigureAwait(false);
                }

                if (!rollout.IsActive)
                {
                    continue;
                }
            }

            var next = await _progression.AdvanceAsync(rollout, _time.GetUtcNow()).ConfigureAwait(false);
            if (!ReferenceEquals(next, rollout))
            {
                await SaveAsync(next).ConfigureAwait(false);
            }
        }
    }

    private async Task<RolloutCommandResult> StartUnderGateAsync(string routeId, RolloutPlan plan, string actor, string? declaration, CancellationToken cancellationToken)
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

        if (!await _coordination.TryLeadAsync(routeId, cancellationToken).ConfigureAwait(false))
        {
            return RolloutCommandResult.Conflict(previous, "another gateway instance holds the lease of this route's rollouts (it is finishing one); retry in a few seconds");
        }

        _led.Add(routeId);
        var now = _time.GetUtcNow();
        var created = new RolloutState(
            split.RouteId, (previous?.Id ?? 0) + 1, plan, split.Definition.Stable, actor, RolloutPhase.Progressing, 0, split.Revision,
            now, now, now + plan.Analysis.Interval, null, false, false, 0, null, [], [], now)
        {
            Declaration = declaration ?? previous?.Declaration,
            Leader = _coordination.IsShared ? _coordination.Instance : null,
        };
        created = created.WithEvent(now, $"started by {actor}: {(plan.Strategy == RolloutStrategy.BlueGreen ? "blue/green" : "canary")} rollout of {plan.Candidate} in {plan.Steps.Count} steps"
            + (_coordination.IsShared ? $", led by instance {_coordination.Instance}" : ""));

        // Saved before its first step moves any traffic: a rollout that cannot be saved changes nothing, and one whose
        // second save fails (or whose process dies in between) adopts the step it finds at its next tick, so traffic is
        // never on a candidate that nothing analyses or rolls back.
        created = await SaveAsync(created).ConfigureAwait(false);
        var started = await SaveAsync(RolloutProgression.GatedAtStart(plan)
            ? await _progression.AdvanceAsync(RolloutProgression.AtStartGate(created, now), now).ConfigureAwait(false)
            : await _progression.EnterStepAsync(created, 0, now).ConfigureAwait(false)).ConfigureAwait(false);
        return started.IsActive ? RolloutCommandResult.Done(started) : RolloutCommandResult.Conflict(started, started.Events[^1].Message);
    }

    /// <summary>
    /// Brings the registry up to date: with several instances the sync loop applies other instances' saves as they are
    /// announced; a single instance reads its store once, at the first call, and resumes its rollouts.
    /// </summary>
    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (_coordination.IsShared)
        {
            await _rollouts.RefreshAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        if (_loaded)
        {
            return;
        }

        await _rollouts.RefreshAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        foreach (var stored in _registry.All)
        {
            if (!stored.IsActive)
            {
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
                Rollback = stored.Rollback is { } walk ? walk with { NextAt = walk.NextAt + downtime } : null,
            }).WithEvent(now, stored.Rollback is null ? $"resumed at step {stored.Step + 1} after a restart" : "resumed the gradual rollback after a restart");
            LogResumed(_logger, stored.RouteId, stored.Id, stored.Step + 1);
            await SaveAsync(resumed).ConfigureAwait(false);
        }

        _loaded = true;
    }

    /// <summary>Persists the rollout, then shows it in the registry; returns it as saved.</summary>
    private async Task<RolloutState> SaveAsync(RolloutState rollout)
    {
        var saved = rollout with { SavedAt = _time.GetUtcNow() };
        try
        {
            await _rollouts.SaveAsync(saved, _coordination.Instance, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RolloutLeaseLostException)
        {
            _led.Remove(rollout.RouteId);
            throw;
        }

        _registry.Set(saved);
        if (!saved.IsActive)
        {
            await StopLeadingAsync(saved.RouteId).ConfigureAwait(false);
        }

        PaceTicks();
        return saved;
    }

    // Under the gate, after every tick and save: the next tick comes after TickPeriod while a rollout runs (a rollout
    // that starts sets it at once), after IdleTickPeriod while a single instance has nothing to drive. Setting the
    // period restarts the timer, so it is set only when it changes.
    private void PaceTicks()
    {
        if (_ticks is not { } ticks)
        {
            return; // the loop is not running (tests that tick by hand)
        }

        var idle = !_coordination.IsShared && !(_hooks?.HasCallsOutstanding ?? false) && !_registry.All.Any(r => r.IsActive);
        var period = idle ? IdleTickPeriod : TickPeriod;
        if (ticks.Period != period)
        {
            ticks.Period = period;
        }
    }

    [LoggerMessage(EventId = EventIds.RolloutResumed, Level = LogLevel.Information, Message = "Route {RouteId}: rollout {RolloutId} resumed at step {Step} after a restart")]
    private static partial void LogResumed(ILogger logger, string routeId, long rolloutId, int step);

    [LoggerMessage(EventId = EventIds.DeclaredRolloutNotStarted, Level = LogLevel.Warning, Message = "Route {RouteId}: the rollout declared in configuration was not started: {Reason}")]
    private static partial void LogDeclaredNotStarted(ILogger logger, string routeId, string reason);

    [LoggerMessage(EventId = EventIds.RolloutTickFailed, Level = LogLevel.Error, Message = "Rollout tick failed; retrying on the next tick")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = EventIds.RolloutLeading, Level = LogLevel.Information, Message = "Route {RouteId}: this instance ({Instance}) now leads rollout {RolloutId} at step {Step}")]
    private static partial void LogLeading(ILogger logger, string routeId, string instance, long rolloutId, int step);

    [LoggerMessage(EventId = EventIds.RolloutLeaseLost, Level = LogLevel.Warning, Message = "Rollout lease lost: {Detail}")]
    private static partial void LogLeaseLost(ILogger logger, string detail);

    [LoggerMessage(EventId = EventIds.RolloutStateUnavailable, Level = LogLevel.Warning, Message = "Rollouts hold at their current step: the shared state cannot be reached. {Error}")]
    private static partial void LogStateUnavailable(ILogger logger, string error);

    [LoggerMessage(EventId = EventIds.DeclaredRolloutLedElsewhere, Level = LogLevel.Information, Message = "Route {RouteId}: the rollout declared in configuration is started by the instance holding the route's lease")]
    private static partial void LogDeclaredLedElsewhere(ILogger logger, string routeId);
}
