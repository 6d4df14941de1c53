using System.Text.Json;
using Microsoft.Extensions.Logging;
using Proxy.Traffic.Rollouts.Analysis;
using Proxy.Traffic.Rollouts.Webhooks;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Rollouts;

/// <summary>
/// The rollout's webhooks: the gates ahead of its moves (confirm-rollout and pre-rollout before the first step,
/// confirm-traffic-increase before a step that raises the weight, confirm-promotion before promotion), the rollout hooks
/// of each analysis, the rollback kill switch and the post-rollout hooks. No method waits for a receiver: each asks
/// <see cref="RolloutHookCaller"/> for an answer and, while none has come, leaves the rollout where it is.
/// </summary>
internal sealed partial class RolloutProgression
{
    /// <summary>
    /// The hooks that hold the move into <paramref name="forStep"/>, in the plan's order: before the first step its
    /// confirm-rollout gates, then its pre-rollout hooks; before promotion (the step count) its confirm-promotion gates;
    /// before a step that raises the candidate's weight its confirm-traffic-increase gates.
    /// </summary>
    internal static IEnumerable<RolloutWebhook> HooksBefore(RolloutPlan plan, int forStep)
    {
        var webhooks = plan.Webhooks ?? [];
        if (forStep == 0)
        {
            return webhooks.Where(h => h.Type == RolloutWebhookType.ConfirmRollout).Concat(webhooks.Where(h => h.Type == RolloutWebhookType.PreRollout));
        }

        if (forStep >= plan.Steps.Count)
        {
            return webhooks.Where(h => h.Type == RolloutWebhookType.ConfirmPromotion);
        }

        return plan.Steps[forStep].BasisPoints > plan.Steps[forStep - 1].BasisPoints
            ? webhooks.Where(h => h.Type == RolloutWebhookType.ConfirmTrafficIncrease)
            : [];
    }

    /// <summary>True when a new rollout of <paramref name="plan"/> must pass a gate before its first step moves any traffic.</summary>
    internal static bool GatedAtStart(RolloutPlan plan) => HooksBefore(plan, 0).Any();

    /// <summary>A new rollout held before its first step: the tick asks its confirm-rollout and pre-rollout hooks.</summary>
    internal static RolloutState AtStartGate(RolloutState created, DateTimeOffset now) =>
        created with { Phase = RolloutPhase.Waiting, Gate = new RolloutGate(0, now, [], null, null) };

    /// <summary>
    /// Satisfies the manual gate the rollout waits at, recording who approved it and why; null when it waits at none
    /// (with the reason in <paramref name="refusal"/>). The gate's move happens at the next advance.
    /// </summary>
    internal RolloutState? Approve(RolloutState rollout, string actor, string? reason, DateTimeOffset now, out string refusal)
    {
        var hook = rollout.Gate?.Hook is { } name ? rollout.Plan.Webhooks?.FirstOrDefault(h => h.Name == name) : null;
        if (rollout.Phase != RolloutPhase.Waiting || rollout.Gate is not { } gate || hook is null)
        {
            refusal = $"rollout {rollout.Id} waits at no gate (it is {rollout.Phase})";
            return null;
        }

        if (!hook.IsManual)
        {
            refusal = $"rollout {rollout.Id} waits at the {hook.Describe()}, which only its receiver's 2xx answer satisfies";
            return null;
        }

        refusal = "";
        LogApproved(logger, rollout.RouteId, rollout.Id, hook.Name, actor);
        return (rollout with { Gate = gate with { Passed = [.. gate.Passed, hook.Name], Hook = null, LastAnswer = null } })
            .WithEvent(now, Text($"{hook.Describe()} before {gate.Move(rollout.Plan)} approved by {actor}") + (string.IsNullOrWhiteSpace(reason) ? "" : $": {reason}"));
    }

    /// <summary>An operator's resume at a step without pause whose analysis passed: the move to the next step, through its gate.</summary>
    internal Task<RolloutState> ResumeToNextStepAsync(RolloutState rollout, DateTimeOffset now) =>
        ThroughGateAsync(rollout with { Phase = RolloutPhase.Progressing, AwaitingResume = false, PausedAt = null }, rollout.Step + 1, now);

    /// <summary>Before the first step: once every confirm-rollout gate and pre-rollout hook passed, enters it; a pre-rollout hook's refusal aborts.</summary>
    private async Task<RolloutState> StartThroughGateAsync(RolloutState rollout, DateTimeOffset now)
    {
        if (rollout.Phase == RolloutPhase.Paused)
        {
            return rollout; // an operator holds it: nothing is asked until a resume
        }

        var (gated, open) = PassGate(rollout, 0, now);
        return open ? await EnterStepAsync(gated, 0, now).ConfigureAwait(false) : gated;
    }

    /// <summary>At a gate after traffic moved: asks its hooks; once all passed, makes the move if the step's analysis still passes.</summary>
    private Task<RolloutState> WaitAtGateAsync(RolloutState rollout, DateTimeOffset now) =>
        rollout.Gate is { } gate ? ThroughGateAsync(rollout, gate.ForStep, now) : Task.FromResult(rollout with { Phase = RolloutPhase.Progressing });

    /// <summary>Makes the move into <paramref name="forStep"/> (promotion at the step count) once the hooks that hold it passed.</summary>
    private async Task<RolloutState> ThroughGateAsync(RolloutState rollout, int forStep, DateTimeOffset now)
    {
        var promotion = forStep >= rollout.Plan.Steps.Count;
        if (HooksBefore(rollout.Plan, forStep).Any())
        {
            var (gated, open) = PassGate(rollout, forStep, now);
            if (!open)
            {
                return gated;
            }

            if (!StepDone(gated, now))
            {
                // A verdict failed or stayed inconclusive while it waited: the move waits for the next passing one.
                return gated.Phase == RolloutPhase.Waiting
                    ? (gated with { Phase = RolloutPhase.Progressing }).WithEvent(now, $"every gate before {gated.Gate!.Move(gated.Plan)} passed; the move waits for a passing analysis")
                    : gated;
            }

            rollout = gated;
        }

        return promotion
            ? await PromoteAsync(rollout, now, Text($"step {rollout.Step + 1} of {rollout.Plan.Steps.Count} passed")).ConfigureAwait(false)
            : await EnterStepAsync(rollout, forStep, now).ConfigureAwait(false);
    }

    /// <summary>True when an operator's resume already took the rollout through to the gate of the next step (a step without pause).</summary>
    private static bool ResumedToNextStep(RolloutState rollout) => rollout.Gate?.ForStep == rollout.Step + 1;

    /// <summary>
    /// Asks the gate's hooks in order, each until it answers 2xx (or is approved): returns the rollout waiting at the first
    /// that has not, or with every hook passed and true. A pre-rollout hook's refusal aborts the rollout instead.
    /// </summary>
    private (RolloutState Rollout, bool Open) PassGate(RolloutState rollout, int forStep, DateTimeOffset now)
    {
        var gate = rollout.Gate is { } current && current.ForStep == forStep ? current : new RolloutGate(forStep, now, [], null, null);
        foreach (var hook in HooksBefore(rollout.Plan, forStep))
        {
            if (gate.Passed.Contains(hook.Name))
            {
                continue;
            }

            if (hook.IsManual || hooks?.Ask(rollout, hook, Text($"gate {forStep}"), rollout.Plan.Analysis.Interval, () => Body(rollout, hook, now)) is not { } answer)
            {
                return (Wait(rollout, gate, hook, gate.Hook == hook.Name ? gate.LastAnswer : null, now), false);
            }

            var delivery = answer.Delivery;
            if (delivery.Succeeded)
            {
                gate = gate with { Passed = [.. gate.Passed, hook.Name], Hook = null, LastAnswer = null };
                rollout = rollout.WithEvent(now, $"{hook.Describe()} let {gate.Move(rollout.Plan)} go ahead: {delivery.Describe()}");
                continue;
            }

            if (hook.Type == RolloutWebhookType.PreRollout)
            {
                return (Finish(rollout with { Gate = gate }, now, RolloutPhase.Aborted, $"aborted before the first step: the {hook.Describe()} {delivery.Describe()}"), false);
            }

            return (Wait(rollout, gate, hook, delivery.Describe(), now), false);
        }

        var passed = gate with { Hook = null, LastAnswer = null };
        return (Equals(rollout.Gate, passed) ? rollout : rollout with { Gate = passed }, true);
    }

    private RolloutState Wait(RolloutState rollout, RolloutGate gate, RolloutWebhook hook, string? answer, DateTimeOffset now)
    {
        var waiting = gate with { Hook = hook.Name, LastAnswer = answer };
        if (rollout.Phase == RolloutPhase.Waiting && Equals(rollout.Gate, waiting))
        {
            return rollout;
        }

        var move = gate.Move(rollout.Plan);
        var message = hook.IsManual
            ? $"waiting at the {hook.Describe()} before {move}: approve it with POST /api/routes/{rollout.RouteId}/rollouts/current/approve"
            : answer is null ? $"waiting for the {hook.Describe()} before {move}" : $"waiting: the {hook.Describe()} holds {move}, it {answer}";
        LogWaiting(logger, rollout.RouteId, rollout.Id, message);
        return (rollout with { Phase = RolloutPhase.Waiting, Gate = waiting, AwaitingResume = false }).WithEvent(now, message);
    }

    /// <summary>
    /// The rollback hooks, asked every interval while the rollout runs (not during a gradual rollback's walk): the first 2xx
    /// rolls the candidate back as a failed analysis does, at once or walked down <c>rollback.steps</c> when the plan has them.
    /// </summary>
    private async Task<RolloutState> AskKillSwitchAsync(RolloutState rollout, DateTimeOffset now)
    {
        foreach (var hook in HooksOf(rollout, RolloutWebhookType.Rollback))
        {
            if (hooks?.Ask(rollout, hook, "rollback", rollout.Plan.Analysis.Interval, () => Body(rollout, hook, now)) is not { } answer)
            {
                continue;
            }

            if (answer.Delivery.Succeeded)
            {
                // An automatic rollback like a failed analysis: walked when the plan says so, recorded only in a dry run.
                return await BeginRollbackAsync(rollout, now, RolloutPhase.RolledBack, $"the {hook.Describe()} {answer.Delivery.Describe()}").ConfigureAwait(false);
            }

            rollout = answer.Fresh && answer.Changed ? rollout.WithEvent(now, $"the {hook.Describe()} {answer.Delivery.Describe()}: no rollback") : rollout;
        }

        return rollout;
    }

    /// <summary>The rollout hooks' checks for the analysis window that ended (none without such hooks); null while one has not answered.</summary>
    private HookRound? AskRolloutHooks(RolloutState rollout, DateTimeOffset now)
    {
        var checks = new List<WebhookCheck>();
        var notes = new List<string>();
        foreach (var hook in HooksOf(rollout, RolloutWebhookType.Rollout))
        {
            if (hooks?.Ask(rollout, hook, Text($"analysis {rollout.NextAnalysisAt.UtcTicks}"), TimeSpan.MaxValue, () => Body(rollout, hook, now)) is not { } answer)
            {
                return null;
            }

            var delivery = answer.Delivery;
            checks.Add(new WebhookCheck(hook.Name, delivery.Tag, delivery.Status is { } status ? (int)status : null, delivery.Succeeded, delivery.Describe()));
            if (answer.Changed)
            {
                notes.Add($"the {hook.Describe()} {delivery.Describe()}");
            }
        }

        return new HookRound(checks, notes);
    }

    /// <summary>The verdict with the rollout hooks' checks in its figures: a hook that did not answer 2xx fails it.</summary>
    private static AnalysisVerdict WithChecks(AnalysisVerdict verdict, IReadOnlyList<WebhookCheck> checks)
    {
        if (checks.Count == 0)
        {
            return verdict;
        }

        var failed = checks.Where(c => !c.Passed).Select(c => $"failed check: rollout hook '{c.Hook}' {c.Detail}").ToArray();
        return failed.Length == 0
            ? verdict with { Hooks = checks }
            : verdict with { Outcome = VerdictOutcome.Fail, Summary = string.Join("; ", [verdict.Summary, .. failed]), Hooks = checks };
    }

    /// <summary>Calls the post-rollout hooks of a rollout that just ended (promoted, rolled back or aborted), in the background.</summary>
    private void CallPostRolloutHooks(RolloutState ended, DateTimeOffset now)
    {
        foreach (var hook in HooksOf(ended, RolloutWebhookType.PostRollout))
        {
            hooks?.CallAfterRollout(ended, hook, Body(ended, hook, now));
        }
    }

    private static IEnumerable<RolloutWebhook> HooksOf(RolloutState rollout, RolloutWebhookType type) =>
        rollout.Plan.Webhooks?.Where(h => h.Type == type) ?? [];

    private byte[] Body(RolloutState rollout, RolloutWebhook hook, DateTimeOffset now) => JsonSerializer.SerializeToUtf8Bytes(
        RolloutHookPayload.Of(rollout, hook, store.TryGetSnapshot(rollout.RouteId, out var split) ? split : null, now),
        StateJsonContext.Default.RolloutHookPayload);

    [LoggerMessage(EventId = EventIds.RolloutWaitingAtGate, Level = LogLevel.Information, Message = "Route {RouteId}: rollout {RolloutId} {Message}")]
    private static partial void LogWaiting(ILogger logger, string routeId, long rolloutId, string message);

    [LoggerMessage(EventId = EventIds.RolloutGateApproved, Level = LogLevel.Information, Message = "Route {RouteId}: rollout {RolloutId}'s manual gate {Hook} approved by {Actor}")]
    private static partial void LogApproved(ILogger logger, string routeId, long rolloutId, string hook, string actor);

    /// <summary>What the rollout hooks said about one analysis window: their checks, and their answers that changed, for the events.</summary>
    private sealed record HookRound(IReadOnlyList<WebhookCheck> Checks, IReadOnlyList<string> Changes)
    {
        public RolloutState Note(RolloutState rollout, DateTimeOffset now) => Changes.Aggregate(rollout, (r, change) => r.WithEvent(now, change));
    }
}
