using Proxy.Traffic.Experiments.Counting;

namespace Proxy.Traffic.Experiments;

/// <summary>An experiment in force: its declaration, its counter, and whether it still counts.</summary>
public sealed class RunningExperiment(ExperimentDefinition definition, IExperimentCounter counter, DateTimeOffset since, ExperimentStatus? status)
{
    /// <summary>What the file declares.</summary>
    public ExperimentDefinition Definition { get; } = definition;

    /// <summary>Its users, per arm.</summary>
    public IExperimentCounter Counter { get; } = counter;

    /// <summary>When this instance started counting it.</summary>
    public DateTimeOffset Since { get; } = since;

    /// <summary>Stopped or promoted through the admin API; null while running.</summary>
    public ExperimentStatus? Status { get; } = status;

    /// <summary>True while it counts exposures and conversions.</summary>
    public bool IsRunning => Status is null;

    /// <summary>The same experiment with a new runtime state (the counts stay).</summary>
    public RunningExperiment With(ExperimentStatus? status) => new(Definition, Counter, Since, status);
}
