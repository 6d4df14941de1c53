using Proxy.Traffic.Flags;
using Proxy.Traffic.Rollouts.Metrics;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Experiments;

/// <summary>
/// Reports an experiment: its counts, the allocation in force (the split's weights over the arms, or the flag's rollout)
/// and each cluster arm's guardrails from the gateway's metric windows, analysed by <see cref="ExperimentAnalysis"/>.
/// </summary>
public sealed class ExperimentReporter(SplitStore splits, FlagStore flags, ClusterMetricWindows windows)
{
    /// <summary>The report of an experiment now.</summary>
    public async Task<ExperimentReport> ReportAsync(RunningExperiment experiment, CancellationToken cancellationToken)
    {
        var counts = await experiment.Counter.ReadAsync(cancellationToken).ConfigureAwait(false);
        var definition = experiment.Definition;
        var allocation = new double[definition.Arms.Count];
        var guardrails = new GuardrailReport?[definition.Arms.Count];
        if (experiment.Status?.Allocation is { } ended && ended.Count == allocation.Length)
        {
            ended.ToArray().CopyTo(allocation, 0);
        }
        else if (definition.Flag is null)
        {
            var split = splits.TryGetSnapshot(definition.RouteId, out var snapshot) ? snapshot : null;
            for (var i = 0; i < allocation.Length; i++)
            {
                allocation[i] = split?.Definition.WeightOf(definition.Arms[i]) ?? 0;
            }
        }
        else if (flags.Current.All.TryGetValue(definition.Flag, out var flag))
        {
            for (var i = 0; i < allocation.Length; i++)
            {
                var variant = flag.IndexOf(definition.Arms[i]);
                allocation[i] = variant < 0 || !flag.Enabled ? 0 : flag.RolloutBasisPoints[variant];
            }
        }

        for (var i = 0; definition.Flag is null && i < allocation.Length; i++)
        {
            var stats = windows.Read(definition.Arms[i], ClusterMetricWindow.History);
            guardrails[i] = new GuardrailReport(stats.Requests, stats.ErrorRate, stats.P99Milliseconds, ClusterMetricWindow.History);
        }

        return ExperimentAnalysis.Analyze(experiment, counts, allocation, guardrails);
    }
}
