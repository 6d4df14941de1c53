using Proxy.Traffic.Experiments.Counting;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Experiments;

/// <summary>
/// The experiments in force: the configuration file's, each with its counter (kept across reloads while its declaration is
/// unchanged) and its runtime state (stopped, promoted) — the experiment kind's view over <see cref="RuntimeStateStore"/>
/// (revisioned, audited, fleet-synced): a stop is committed before counting stops.
/// </summary>
public sealed class ExperimentStore : ConfigMergedView
{
    private readonly IExperimentCounterFactory _counters;
    private volatile ExperimentSet _current = ExperimentSet.Empty;
    private IReadOnlyCollection<ExperimentDefinition> _definitions = [];

    /// <summary>The experiment view of <paramref name="state"/>, counting with <paramref name="counters"/>.</summary>
    public ExperimentStore(RuntimeStateStore state, IExperimentCounterFactory counters)
        : base(state, SettingKinds.Experiment)
    {
        _counters = counters;
    }

    /// <summary>The experiments in force (lock-free: the request path reads this).</summary>
    public ExperimentSet Current => _current;

    /// <summary>
    /// Applies the file's experiments (start-up and each good reload) with their persisted runtime states; with a shared
    /// store down at start-up, with the states held so far (the state store's sync reads the stored ones once it answers).
    /// </summary>
    public Task ApplyConfiguredAsync(IReadOnlyCollection<ExperimentDefinition> definitions, CancellationToken cancellationToken) =>
        ApplyFileAsync(() => _definitions = definitions, cancellationToken);

    /// <summary>Stops an experiment (and records the promoted arm, if any): committed, then counting stops. Null when unknown.</summary>
    public Task<RunningExperiment?> StopAsync(string routeId, string name, string actor, string? arm, string? reason, IReadOnlyList<double> allocation, CancellationToken cancellationToken) =>
        State.WriteAsync(
            async transaction =>
            {
                if (_current.Find(routeId, name) is not { } experiment)
                {
                    return null;
                }

                var definition = experiment.Definition;
                var key = ExperimentSetting.Key(definition.RouteId, definition.Name);
                var before = transaction.Get(key) is { } stored ? ExperimentSetting.Read(stored) : null;
                var status = new ExperimentStatus(definition.RouteId, definition.Name, definition.Fingerprint,
                    arm is null ? ExperimentStatus.Stopped : ExperimentStatus.Promoted, transaction.Now, actor, arm, reason, allocation);
                await transaction.CommitNextAsync(key, ExperimentSetting.Write(status), r => ExperimentSetting.Change(before, status, r)).ConfigureAwait(false);
                return _current.Find(routeId, name);
            },
            cancellationToken);

    /// <summary>An experiment's runtime states, newest first.</summary>
    public async Task<IReadOnlyList<ExperimentStatus>> GetHistoryAsync(string routeId, string name, int limit, CancellationToken cancellationToken) =>
        [.. (await State.GetHistoryAsync(ExperimentSetting.Key(routeId, name), limit, cancellationToken).ConfigureAwait(false))
            .Select(ExperimentSetting.Read).OfType<ExperimentStatus>()];

    // A state is kept for the declaration it was made for (its fingerprint): a changed declaration runs afresh, nothing to commit.
    private protected override SettingChange? ReplacedByFile(StoredSetting stored, long revision, DateTimeOffset now) => null;

    // Under the state store's gate: each declaration with the persisted state made for it.
    private protected override void Rebuild(IReadOnlyList<StoredSetting> persisted)
    {
        var states = persisted.Select(ExperimentSetting.Read).OfType<ExperimentStatus>().ToArray();
        var previous = _current;
        var now = State.TimeProvider.GetUtcNow();
        var experiments = new List<RunningExperiment>();
        foreach (var definition in _definitions)
        {
            var status = states.FirstOrDefault(s => s.Fingerprint == definition.Fingerprint
                && string.Equals(s.RouteId, definition.RouteId, StringComparison.OrdinalIgnoreCase) && s.Name == definition.Name);
            var existing = previous.All.FirstOrDefault(e => e.Definition.Fingerprint == definition.Fingerprint
                && string.Equals(e.Definition.RouteId, definition.RouteId, StringComparison.OrdinalIgnoreCase));
            experiments.Add(existing is not null
                ? existing.With(status)
                : new RunningExperiment(definition, _counters.Create(definition), now, status));
        }

        _current = new ExperimentSet(experiments);
    }
}
