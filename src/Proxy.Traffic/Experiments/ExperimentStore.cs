using Proxy.Traffic.Experiments.Counting;

namespace Proxy.Traffic.Experiments;

/// <summary>
/// The experiments in force: the configuration file's, each with its counter (kept across reloads while its declaration is
/// unchanged) and its runtime state (stopped, promoted) committed to <see cref="IExperimentStateRepository"/> before it applies.
/// </summary>
public sealed class ExperimentStore(IExperimentStateRepository repository, IExperimentCounterFactory counters, TimeProvider timeProvider) : IDisposable
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private volatile ExperimentSet _current = ExperimentSet.Empty;

    /// <summary>The experiments in force (lock-free: the request path reads this).</summary>
    public ExperimentSet Current => _current;

    /// <summary>Applies the file's experiments (start-up and each good reload) with their persisted runtime states.</summary>
    public async Task ApplyConfiguredAsync(IReadOnlyCollection<ExperimentDefinition> definitions, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            IReadOnlyList<ExperimentStatus> states;
            try
            {
                states = await repository.LoadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (State.SplitStateUnavailableException)
            {
                // A shared store that is down: the states held so far; the sync pass reads the stored ones once it answers.
                states = [.. _current.All.Where(e => e.Status is not null).Select(e => e.Status!)];
            }

            Swap(definitions, states);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Stops an experiment (and records the promoted arm, if any): committed, then counting stops. Null when unknown.</summary>
    public async Task<RunningExperiment?> StopAsync(string routeId, string name, string actor, string? arm, string? reason, IReadOnlyList<double> allocation, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_current.Find(routeId, name) is not { } experiment)
            {
                return null;
            }

            var definition = experiment.Definition;
            var status = new ExperimentStatus(definition.RouteId, definition.Name, definition.Fingerprint,
                arm is null ? ExperimentStatus.Stopped : ExperimentStatus.Promoted, timeProvider.GetUtcNow(), actor, arm, reason, allocation);
            await repository.SaveAsync(status, cancellationToken).ConfigureAwait(false);
            var stopped = experiment.With(status);
            _current = new ExperimentSet([.. _current.All.Select(e => ReferenceEquals(e, experiment) ? stopped : e)]);
            return stopped;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Re-reads runtime states (other instances' stops with a shared repository). True when one changed.</summary>
    public async Task<bool> SyncAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var states = await repository.LoadAsync(cancellationToken).ConfigureAwait(false);
            var before = _current;
            Swap([.. before.All.Select(e => e.Definition)], states);
            return _current.All.Zip(before.All).Any(p => p.First.IsRunning != p.Second.IsRunning);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>An experiment's runtime states, newest first.</summary>
    public Task<IReadOnlyList<ExperimentStatus>> GetHistoryAsync(string routeId, string name, int limit, CancellationToken cancellationToken) =>
        repository.GetHistoryAsync($"{routeId}/{name}", limit, cancellationToken);

    public void Dispose() => _writeGate.Dispose();

    private void Swap(IReadOnlyCollection<ExperimentDefinition> definitions, IReadOnlyList<ExperimentStatus> states)
    {
        var previous = _current;
        var now = timeProvider.GetUtcNow();
        var experiments = new List<RunningExperiment>();
        foreach (var definition in definitions)
        {
            var status = states.FirstOrDefault(s => s.Fingerprint == definition.Fingerprint
                && string.Equals(s.RouteId, definition.RouteId, StringComparison.OrdinalIgnoreCase) && s.Name == definition.Name);
            var existing = previous.All.FirstOrDefault(e => e.Definition.Fingerprint == definition.Fingerprint
                && string.Equals(e.Definition.RouteId, definition.RouteId, StringComparison.OrdinalIgnoreCase));
            experiments.Add(existing is not null
                ? existing.With(status)
                : new RunningExperiment(definition, counters.Create(definition), now, status));
        }

        _current = new ExperimentSet(experiments);
    }
}
