using System.Text.Json.Serialization;
using Proxy.Traffic.Rollouts.Analysis;
using Proxy.Traffic.Rollouts.Fleet;
using Proxy.Traffic.Rollouts.Rollback;

namespace Proxy.Traffic.Rollouts;

/// <summary>The persisted state of a route's latest rollout: enough to resume it after a restart at the same step.</summary>
/// <param name="RouteId">The route.</param>
/// <param name="Id">The rollout's number on this route (1, 2, …).</param>
/// <param name="Plan">What it does.</param>
/// <param name="Stable">The stable cluster it started from: the rollback target.</param>
/// <param name="Actor">Who started it.</param>
/// <param name="Phase">Where it stands.</param>
/// <param name="Step">The current step (0-based).</param>
/// <param name="Revision">The split revision the rollout last put in force; any other revision is a change made outside it.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="StepStartedAt">When the current step started, shifted forward by pauses and downtime so only time spent at the step counts.</param>
/// <param name="NextAnalysisAt">When the next analysis window ends.</param>
/// <param name="PausedAt">When an operator or an inconclusive analysis paused it (time stops counting).</param>
/// <param name="AwaitingResume">True at a step without pause whose analysis passed: the next step waits for a resume.</param>
/// <param name="StepPassed">True once an analysis of the current step passed.</param>
/// <param name="ConsecutiveFailures">Failed verdicts in a row.</param>
/// <param name="InconclusiveSince">Start of the current run of inconclusive verdicts.</param>
/// <param name="Verdicts">The latest verdicts, newest last.</param>
/// <param name="Events">The rollout's history, oldest first.</param>
/// <param name="SavedAt">When this state was persisted; a restarted gateway shifts the step's times by the downtime.</param>
public sealed record RolloutState(
    string RouteId,
    long Id,
    RolloutPlan Plan,
    string Stable,
    string Actor,
    RolloutPhase Phase,
    int Step,
    long Revision,
    DateTimeOffset StartedAt,
    DateTimeOffset StepStartedAt,
    DateTimeOffset NextAnalysisAt,
    DateTimeOffset? PausedAt,
    bool AwaitingResume,
    bool StepPassed,
    int ConsecutiveFailures,
    DateTimeOffset? InconclusiveSince,
    IReadOnlyList<AnalysisVerdict> Verdicts,
    IReadOnlyList<RolloutEvent> Events,
    DateTimeOffset SavedAt)
{
    private const int KeptVerdicts = 20;
    private const int KeptEvents = 100;

    /// <summary>
    /// Fingerprint of the latest rollout the configuration file declared and that was started on this route (carried over
    /// to later rollouts), so that one declaration starts at most one rollout, across reloads and restarts.
    /// </summary>
    public string? Declaration { get; init; }

    /// <summary>With several gateway instances, the instance that drives the rollout (holds its lease); null with one.</summary>
    public string? Leader { get; init; }

    /// <summary>While a gradual rollback walks the candidate down (phase <see cref="RolloutPhase.RollingBack"/>): where it stands.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RollbackWalk? Rollback { get; init; }

    /// <summary>With several instances, while the current step's revision is not yet in force on every live instance: who is missing.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FleetConfirmation? FleetConfirmation { get; init; }

    /// <summary>A dry run whose plan would have promoted its candidate: recorded once, then it holds at its last step until aborted.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool WouldHavePromoted { get; init; }

    /// <summary>The gate ahead of the rollout's next move (its hooks that passed, the one it waits on); null when none holds it.</summary>
    public Webhooks.RolloutGate? Gate { get; init; }

    /// <summary>True while the rollout still drives the route's split.</summary>
    public bool IsActive => Phase is RolloutPhase.Progressing or RolloutPhase.Paused or RolloutPhase.Waiting or RolloutPhase.RollingBack;

    /// <summary>The step in force.</summary>
    public RolloutStep CurrentStep => Plan.Steps[Step];

    /// <summary>True at the last step: passing it promotes the candidate.</summary>
    public bool AtLastStep => Step == Plan.Steps.Count - 1;

    /// <summary>The latest verdict, if any.</summary>
    public AnalysisVerdict? LastVerdict => Verdicts.Count == 0 ? null : Verdicts[^1];

    /// <summary>A copy with one more verdict (the oldest dropped past the limit).</summary>
    public RolloutState WithVerdict(AnalysisVerdict verdict) => this with { Verdicts = [.. Verdicts.TakeLast(KeptVerdicts - 1), verdict] };

    /// <summary>A copy with one more event.</summary>
    public RolloutState WithEvent(DateTimeOffset at, string message) => this with { Events = [.. Events.TakeLast(KeptEvents - 1), new RolloutEvent(at, message)] };
}
