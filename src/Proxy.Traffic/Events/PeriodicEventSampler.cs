using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.Mirroring;
using Proxy.Traffic.Rollouts.Metrics;
using Proxy.Traffic.Splitting;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Events;

/// <summary>
/// Every <see cref="EventStreamOptions.SampleInterval"/>: each split route's traffic per cluster (from the metric windows
/// the split step already fills, into <see cref="TrafficHistory"/> and a <c>traffic</c> event), each running mirror's
/// comparison, and with a shared state store the fleet's instances joining, leaving or going stale. A mirror set or
/// cleared is published as the store puts it in force, not at the next sample, so that one set and cleared between two
/// samples is still told. Reads only; nothing here is on a request's path.
/// </summary>
public sealed class PeriodicEventSampler(
    ProxyEventHub stream,
    SplitStore splits,
    MirrorStore mirrors,
    ClusterMetricWindows windows,
    TrafficHistory history,
    IStateRepository repository,
    IOptions<EventStreamOptions> options,
    TimeProvider timeProvider) : BackgroundService
{
    private readonly HashSet<string> _busyRoutes = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _mirrorGate = new();
    private Dictionary<string, DateTimeOffset> _mirrors = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<string, bool>? _fleet;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        mirrors.Changed += OnMirrorsChanged;
        return base.StartAsync(cancellationToken);
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        mirrors.Changed -= OnMirrorsChanged;
        return base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SampleInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await SampleAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Takes one sample of everything (the timer calls it; tests call it directly).</summary>
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        SampleTraffic();
        PublishMirrors(running: true);
        await SampleFleetAsync(cancellationToken).ConfigureAwait(false);
    }

    private void SampleTraffic()
    {
        var interval = options.Value.SampleInterval;
        var now = timeProvider.GetUtcNow();
        var byCluster = new Dictionary<string, TrafficPoint>(StringComparer.OrdinalIgnoreCase);
        foreach (var split in splits.GetAll())
        {
            var points = new List<TrafficPoint>(split.ClusterIds.Count);
            foreach (var cluster in split.ClusterIds)
            {
                if (!byCluster.TryGetValue(cluster, out var point))
                {
                    var stats = windows.Read(cluster, interval);
                    point = new TrafficPoint(cluster, now, stats.Requests, stats.Failures, stats.P99Milliseconds);
                    byCluster[cluster] = point;
                    history.Add(point);
                }

                points.Add(point);
            }

            // A route without traffic gets one event with zeros when it goes quiet, then none until it is busy again.
            var busy = points.Any(p => p.Requests > 0);
            if (busy || _busyRoutes.Remove(split.RouteId))
            {
                if (busy)
                {
                    _busyRoutes.Add(split.RouteId);
                }

                stream.Publish(ProxyEventKinds.Traffic, [split.RouteId], new TrafficEventData(split.RouteId, now, interval.TotalSeconds, points));
            }
        }
    }

    // Under the state store's gate: publishing only hands the events on.
    private void OnMirrorsChanged() => PublishMirrors(running: false);

    // Mirrors set (or set anew: another start) and cleared since the last call, and with running each one still in force.
    private void PublishMirrors(bool running)
    {
        lock (_mirrorGate)
        {
            var seen = new Dictionary<string, DateTimeOffset>(StringComparer.OrdinalIgnoreCase);
            foreach (var mirrored in mirrors.GetAll())
            {
                seen[mirrored.RouteId] = mirrored.Since;
                var known = _mirrors.TryGetValue(mirrored.RouteId, out var since) && since == mirrored.Since;
                if (!known || running)
                {
                    stream.Publish(ProxyEventKinds.Mirror, [mirrored.RouteId], new MirrorEventData(mirrored.RouteId, known ? "running" : "set", MirrorResponse.From(mirrored.RouteId, mirrors)));
                }
            }

            foreach (var gone in _mirrors.Keys.Where(r => !seen.ContainsKey(r)))
            {
                stream.Publish(ProxyEventKinds.Mirror, [gone], new MirrorEventData(gone, "cleared", MirrorResponse.From(gone, mirrors)));
            }

            _mirrors = seen;
        }
    }

    private async Task SampleFleetAsync(CancellationToken cancellationToken)
    {
        if (!repository.IsShared)
        {
            return;
        }

        IReadOnlyList<InstanceReport> instances;
        try
        {
            instances = await repository.GetReportsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return; // the shared store is down: the fleet is unknown, not empty
        }

        var now = timeProvider.GetUtcNow();
        var current = instances.ToDictionary(i => i.Instance, i => i.Stale, StringComparer.Ordinal);
        if (_fleet is { } previous)
        {
            foreach (var (instance, stale) in current)
            {
                var change = !previous.TryGetValue(instance, out var wasStale) ? "joined" : stale == wasStale ? null : stale ? "stale" : "fresh";
                if (change is not null)
                {
                    stream.Publish(ProxyEventKinds.Fleet, [], new FleetEventData(instance, change, current.Count, now));
                }
            }

            foreach (var left in previous.Keys.Where(i => !current.ContainsKey(i)))
            {
                stream.Publish(ProxyEventKinds.Fleet, [], new FleetEventData(left, "left", current.Count, now));
            }
        }

        _fleet = current;
    }
}
