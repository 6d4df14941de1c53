using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Rollouts.Analysis;
using Proxy.Traffic.Rollouts.Analysis.Prometheus;

namespace Proxy.Traffic.Tests.Rollouts.Prometheus;

/// <summary>A rollout's Prometheus checks on the controller's fake clock: when the verdict comes, what a slow or silent Prometheus does.</summary>
public class MetricCheckTimingTests
{
    private static readonly MetricCheck Errors = new(
        "checkout-errors", new PrometheusQuery("http://127.0.0.1:9090", """errors{cluster="{{candidate}}",stable="{{stable}}",route="{{route}}"}[{{interval}}]"""), Max: 0.01, Min: null);

    private static RolloutPlan Plan(InconclusiveAction onInconclusive = InconclusiveAction.Rollback) =>
        RolloutHarness.Canary(RolloutHarness.Analysis(onInconclusive: onInconclusive) with { Metrics = [Errors] });

    [Fact]
    public async Task The_query_gets_the_rollout_s_ids_and_interval_and_its_value_goes_with_the_verdict()
    {
        var prometheus = new ScriptedPrometheus { Answer = _ => Task.FromResult(PrometheusQueryResult.Of(0.002)) };
        using var harness = await new RolloutHarness(prometheus: prometheus).WithRouteAsync();
        await harness.StartAsync(Plan());

        await harness.RunIntervalAsync();

        Assert.Equal(["""errors{cluster="canary",stable="blue",route="shop"}[10s]"""], prometheus.Queries);
        var verdict = harness.Rollout.Verdicts.Single();
        Assert.Equal((VerdictOutcome.Pass, "every limit met"), (verdict.Outcome, verdict.Summary));
        Assert.Equal(new MetricCheckFigures("checkout-errors", VerdictOutcome.Pass, 0.002, null, 0.01, null), verdict.Metrics!.Single());
    }

    [Fact]
    public async Task A_failing_check_rolls_back_a_canary_the_gateway_s_own_limits_pass()
    {
        var prometheus = new ScriptedPrometheus { Answer = _ => Task.FromResult(PrometheusQueryResult.Of(0.25)) };
        using var harness = await new RolloutHarness(prometheus: prometheus).WithRouteAsync();
        await harness.StartAsync(Plan());

        await harness.RunIntervalAsync(canaryErrorRate: 0);

        Assert.Equal(RolloutPhase.RolledBack, harness.Rollout.Phase);
        Assert.Contains("checkout-errors = 0.25 above the limit 0.01; the gateway's own limits met", harness.Rollout.Events[^1].Message, StringComparison.Ordinal);
        Assert.Equal("blue=100%, canary=0% (stable blue)", harness.Weights());
    }

    [Fact]
    public async Task A_slow_prometheus_delays_the_verdict_until_it_answers_and_holds_no_command_meanwhile()
    {
        var answer = new TaskCompletionSource<PrometheusQueryResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var prometheus = new ScriptedPrometheus { Answer = _ => answer.Task };
        using var harness = await new RolloutHarness(prometheus: prometheus).WithRouteAsync();
        await harness.StartAsync(Plan());

        // A tick that awaited the query would never return here.
        await harness.RunIntervalAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await harness.Controller.TickAsync(default).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(harness.Rollout.Verdicts);
        Assert.Single(prometheus.Queries); // started once, not again on each tick

        // The operator is not kept waiting for Prometheus: the tick holds no gate while the query runs.
        var paused = await harness.Controller.PauseAsync("shop", "ops", default).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(RolloutPhase.Paused, paused.State!.Phase);

        answer.SetResult(PrometheusQueryResult.Of(0.5));
        await WhenAsync(async () =>
        {
            await harness.Controller.TickAsync(default);
            return harness.Rollout.Verdicts.Count > 0;
        });
        Assert.Equal(RolloutPhase.RolledBack, harness.Rollout.Phase);
        Assert.Single(prometheus.Queries);
    }

    [Fact]
    public async Task A_prometheus_that_never_answers_is_inconclusive_after_the_query_timeout()
    {
        var prometheus = new ScriptedPrometheus { Answer = async ct => { await Task.Delay(Timeout.Infinite, ct); return PrometheusQueryResult.Of(0); } };
        using var harness = await new RolloutHarness(prometheus: prometheus).WithRouteAsync();
        await harness.StartAsync(Plan(InconclusiveAction.Pause));

        await harness.RunIntervalAsync();
        harness.Time.Advance(MetricCheckRunner.QueryTimeout - TimeSpan.FromMilliseconds(1));
        await harness.Controller.TickAsync(default);
        Assert.Empty(harness.Rollout.Verdicts);

        harness.Time.Advance(TimeSpan.FromMilliseconds(1));
        await WhenAsync(async () =>
        {
            await harness.Controller.TickAsync(default);
            return harness.Rollout.Verdicts.Count > 0;
        });
        var verdict = harness.Rollout.Verdicts.Single();
        Assert.Equal(VerdictOutcome.Inconclusive, verdict.Outcome);
        Assert.Equal("checkout-errors inconclusive: Prometheus at http://127.0.0.1:9090 did not answer within 5 s; the gateway's own limits met", verdict.Summary);
        Assert.Equal(RolloutPhase.Progressing, harness.Rollout.Phase);
    }

    [Fact]
    public async Task A_query_that_throws_is_inconclusive()
    {
        var prometheus = new ScriptedPrometheus { Answer = _ => throw new InvalidOperationException("broken client") };
        using var harness = await new RolloutHarness(prometheus: prometheus).WithRouteAsync();
        await harness.StartAsync(Plan());

        await harness.RunIntervalAsync();

        Assert.Equal("checkout-errors inconclusive: the query failed: broken client; the gateway's own limits met", harness.Rollout.Verdicts.Single().Summary);
    }

    // The query completes on another thread; the controller's next tick sees it. Real time, with a deadline.
    private static async Task WhenAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the verdict never came");
            await Task.Delay(10);
        }
    }

    private sealed class ScriptedPrometheus : IPrometheusClient
    {
        public List<string> Queries { get; } = [];

        public required Func<CancellationToken, Task<PrometheusQueryResult>> Answer { get; init; }

        public Task<PrometheusQueryResult> QueryAsync(string address, string query, CancellationToken cancellationToken)
        {
            lock (Queries)
            {
                Queries.Add(query);
            }

            return Answer(cancellationToken);
        }
    }
}
