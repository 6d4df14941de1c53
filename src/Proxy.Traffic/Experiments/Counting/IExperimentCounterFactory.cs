namespace Proxy.Traffic.Experiments.Counting;

/// <summary>Makes the counter of an experiment: exact on one instance, or fleet-wide with a shared Redis.</summary>
public interface IExperimentCounterFactory
{
    /// <summary>A new, empty counter for the experiment.</summary>
    IExperimentCounter Create(ExperimentDefinition definition);
}

/// <summary>Counts each instance's users exactly (<see cref="ExactExperimentCounter"/>).</summary>
public sealed class ExactExperimentCounterFactory : IExperimentCounterFactory
{
    public IExperimentCounter Create(ExperimentDefinition definition) =>
        new ExactExperimentCounter(definition.Arms.Count, definition.Goals.Count, definition.Settings.MaxUsers);
}
