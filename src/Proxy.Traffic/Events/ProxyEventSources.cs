using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.Configuration;
using Proxy.Traffic.Health;
using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Splitting;
using Proxy.Traffic.Tls;

namespace Proxy.Traffic.Events;

/// <summary>
/// Turns what the gateway's parts announce into stream events: split changes (local and synced from other instances, so
/// a Redis fleet's every stream sees every change with no traffic of its own), breaker transitions, rollout saves,
/// configuration reloads and certificate renewals. Only the split events read anything (the revision's audit entry, for
/// its actor and reason), on a queue of their own, so no writer waits for the stream.
/// </summary>
public sealed class ProxyEventSources(
    ProxyEventHub stream,
    SplitStore splits,
    ClusterHealthRegistry health,
    RolloutRegistry rollouts,
    TrafficSplitConfigState config,
    IServiceProvider services,
    TimeProvider timeProvider) : BackgroundService
{
    private const int HistoryLookback = 20;
    private readonly Channel<SplitChange> _splitChanges = Channel.CreateUnbounded<SplitChange>(new UnboundedChannelOptions { SingleReader = true });
    private ServerCertificateStore? _certificates;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the configuration watcher applies the file: the start-up's revisions are the stream's first events.
        splits.Changed += OnSplitChanged;
        health.BreakerChanged += OnBreakerChanged;
        rollouts.Changed += OnRolloutChanged;
        config.ConfigurationApplied += OnConfigApplied;
        config.ConfigurationRefused += OnConfigRefused;
        _certificates = services.GetService<ServerCertificateStore>();
        if (_certificates is not null)
        {
            _certificates.Changed += OnCertificateChanged;
        }

        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        splits.Changed -= OnSplitChanged;
        health.BreakerChanged -= OnBreakerChanged;
        rollouts.Changed -= OnRolloutChanged;
        config.ConfigurationApplied -= OnConfigApplied;
        config.ConfigurationRefused -= OnConfigRefused;
        if (_certificates is not null)
        {
            _certificates.Changed -= OnCertificateChanged;
        }

        _splitChanges.Writer.TryComplete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var change in _splitChanges.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await PublishSplitAsync(change, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PublishSplitAsync(SplitChange change, CancellationToken cancellationToken)
    {
        var via = change.Source is SplitChangeSource.Remote or SplitChangeSource.Restored ? change.Source.ToString().ToLowerInvariant() : null;
        var entry = null as State.SplitRevision;
        if (change.Current is { } current && change.Source != SplitChangeSource.Restored)
        {
            try
            {
                var history = await splits.GetHistoryAsync(change.RouteId, HistoryLookback, cancellationToken).ConfigureAwait(false);
                entry = history.FirstOrDefault(e => e.Revision == current.Revision);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The store is down (a shared Redis): the event goes out without its actor and reason.
            }
        }

        var before = change.Previous is { } previous ? SplitResponse.From(State.SplitState.Of(previous.Definition)) : null;
        var after = change.Current is { } now ? SplitResponse.From(State.SplitState.Of(now.Definition)) : null;
        stream.Publish(ProxyEventKinds.Split, [change.RouteId], new SplitEventData(
            change.RouteId,
            change.Current?.Revision,
            (entry?.Source ?? change.Source).ToString().ToLowerInvariant(),
            via,
            entry?.Actor,
            entry?.Action ?? (change.Current is null ? State.SplitActions.Remove : null),
            entry is null ? before : SplitResponse.From(entry.Before),
            entry is null ? after : SplitResponse.From(entry.After),
            entry?.Reason,
            entry?.At ?? timeProvider.GetUtcNow()));
    }

    private void OnSplitChanged(SplitChange change) => _splitChanges.Writer.TryWrite(change);

    private void OnBreakerChanged(BreakerTransition transition) =>
        stream.Publish(ProxyEventKinds.Breaker, RoutesOf(transition.Routes), new BreakerEventData(
            transition.ClusterId, RoutesOf(transition.Routes), transition.From.ToString(), transition.To.ToString(), transition.Cause, timeProvider.GetUtcNow()));

    private void OnRolloutChanged(RolloutState rollout)
    {
        var response = RolloutResponse.From(rollout, splits.TryGetSnapshot(rollout.RouteId, out var split) ? split : null);
        stream.Publish(ProxyEventKinds.Rollout, [rollout.RouteId], new RolloutEventData(
            response.Route, response.Id, response.Candidate, response.Phase, response.Step, response.StepCount, response.Weights,
            response.Verdicts.Count > 0 ? response.Verdicts[0] : null, response.NextAction, response.NextActionAt,
            rollout.Events.Count > 0 ? rollout.Events[^1].Message : null, response.Leader,
            StartedAt: response.StartedAt, Gate: response.Gate));
    }

    private void OnConfigApplied(DateTimeOffset at) =>
        stream.Publish(ProxyEventKinds.Config, [], new ConfigEventData("applied", at, null, []));

    private void OnConfigRefused(ConfigurationRefusal refusal) =>
        stream.Publish(ProxyEventKinds.Config, [], new ConfigEventData("refused", refusal.At, refusal.Source, refusal.Errors));

    private void OnCertificateChanged(CertificateChange change) =>
        stream.Publish(ProxyEventKinds.Certificate, [], new CertificateEventData(
            change.Name, change.Renewed ? "renewed" : "refused", change.Subject, change.Serial, change.NotAfter, change.Reason));

    // "a, b" as the health registry names a cluster's routes ("none" for a cluster no split uses).
    private static string[] RoutesOf(string routes) =>
        routes == "none" ? [] : routes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
