using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Rollouts.Analysis;
using Proxy.Traffic.Rollouts.State;

namespace Proxy.Traffic.Tests.Rollouts.State;

/// <summary>What every <see cref="IRolloutStateRepository"/> must do (SQLite, in-memory and Redis).</summary>
public abstract class RolloutStateRepositoryContract
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A new, empty repository.</summary>
    protected abstract IRolloutStateRepository Create();

    /// <summary>A repository on the same storage, as a restarted gateway would open it.</summary>
    protected abstract IRolloutStateRepository Reopen(IRolloutStateRepository repository);

    /// <summary>A rollout with every field set.</summary>
    protected static RolloutState Rollout(string route, long id, int step, RolloutPhase phase = RolloutPhase.Progressing)
    {
        var analysis = new AnalysisSettings(TimeSpan.FromSeconds(10), 50, 0.05, 800, 0.01, 1.5, 2, TimeSpan.FromMinutes(1), InconclusiveAction.Pause);
        var plan = new RolloutPlan("canary", RolloutStrategy.Canary, [new(500, TimeSpan.FromMinutes(2)), new(10000, null)], analysis);
        var verdict = new AnalysisVerdict(At, step, VerdictOutcome.Fail, new("canary", 120, 0.2, 3.2), new("blue", 900, 0, 2.5), 0.004, "error rate 20.0% above the limit 5.0%");
        return new RolloutState(
            route, id, plan, "blue", "ci", phase, step, 7, At, At.AddSeconds(30), At.AddSeconds(40), null, false, true, 1, At.AddSeconds(5),
            [verdict], [new RolloutEvent(At, "started by ci")], At.AddSeconds(35));
    }

    [Fact]
    public async Task A_saved_rollout_is_loaded_back_whole_after_reopening()
    {
        var repository = Create();
        var saved = Rollout("shop", 1, 1);

        await repository.SaveAsync(saved, default);
        var loaded = Assert.Single(await Reopen(repository).LoadAsync(default));

        Assert.Equal(saved with { Plan = loaded.Plan, Verdicts = loaded.Verdicts, Events = loaded.Events }, loaded);
        Assert.Equal(saved.Plan with { Steps = loaded.Plan.Steps }, loaded.Plan);
        Assert.Equal(saved.Plan.Steps, loaded.Plan.Steps);
        Assert.Equal(saved.Verdicts, loaded.Verdicts);
        Assert.Equal(saved.Events, loaded.Events);
    }

    [Fact]
    public async Task Saving_replaces_the_route_s_latest_rollout_and_leaves_other_routes_alone()
    {
        var repository = Create();
        await repository.SaveAsync(Rollout("shop", 1, 0), default);
        await repository.SaveAsync(Rollout("cart", 1, 0), default);

        await repository.SaveAsync(Rollout("shop", 2, 1, RolloutPhase.RolledBack), default);

        var loaded = (await Reopen(repository).LoadAsync(default)).OrderBy(r => r.RouteId, StringComparer.Ordinal).ToArray();
        Assert.Equal([("cart", 1L, RolloutPhase.Progressing), ("shop", 2L, RolloutPhase.RolledBack)], loaded.Select(r => (r.RouteId, r.Id, r.Phase)));
    }

    [Fact]
    public async Task An_empty_repository_loads_nothing()
    {
        Assert.Empty(await Create().LoadAsync(default));
    }
}
