using System.Collections.Frozen;

namespace Proxy.Traffic.Experiments;

/// <summary>
/// Every experiment in force, and the running ones the request path reads: by route (exposures) and all of them (goals, seen
/// on any route). Immutable, swapped atomically.
/// </summary>
public sealed class ExperimentSet
{
    /// <summary>No experiments.</summary>
    public static readonly ExperimentSet Empty = new([]);

    private readonly FrozenDictionary<string, RunningExperiment> _byRoute;

    public ExperimentSet(IReadOnlyList<RunningExperiment> experiments)
    {
        All = experiments;
        Running = [.. experiments.Where(e => e.IsRunning)];
        _byRoute = Running.ToFrozenDictionary(e => e.Definition.RouteId, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Every experiment, running or stopped.</summary>
    public IReadOnlyList<RunningExperiment> All { get; }

    /// <summary>The experiments that count; empty means the request path skips them entirely.</summary>
    public RunningExperiment[] Running { get; }

    /// <summary>The running experiment of a route, or null.</summary>
    public RunningExperiment? ForRoute(string routeId) => _byRoute.GetValueOrDefault(routeId);

    /// <summary>A route's experiment (running or not) by name, or null.</summary>
    public RunningExperiment? Find(string routeId, string name) => All.FirstOrDefault(e =>
        string.Equals(e.Definition.RouteId, routeId, StringComparison.OrdinalIgnoreCase) && string.Equals(e.Definition.Name, name, StringComparison.Ordinal));
}
