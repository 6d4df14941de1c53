using System.Collections.Concurrent;
using System.Collections.Frozen;
using Microsoft.Extensions.Logging;
using Proxy.Traffic.Splitting;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Proxy.Traffic.Health;

/// <summary>
/// The health of every cluster: its destinations (from YARP's active and passive checks) and its circuit breaker.
/// The admin API, telemetry and the split step read it; active health and operators act on it.
/// </summary>
public sealed class ClusterHealthRegistry : IClusterOutages, IDisposable
{
    private readonly ConcurrentDictionary<string, ClusterBreaker> _breakers = new(StringComparer.OrdinalIgnoreCase);
    private readonly IProxyStateLookup _proxyState;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ClusterBreaker> _logger;
    private readonly Action _bumpEpoch;
    private readonly ConcurrentDictionary<string, BreakerState> _reported = new(StringComparer.OrdinalIgnoreCase);
    private volatile BreakerSettingsTable _settings = new(CircuitBreakerSettings.Default, FrozenDictionary<string, CircuitBreakerSettings>.Empty, FrozenDictionary<string, string>.Empty);
    private long _epoch;

    public ClusterHealthRegistry(IProxyStateLookup proxyState, TimeProvider timeProvider, ILogger<ClusterBreaker> logger)
    {
        _proxyState = proxyState;
        _timeProvider = timeProvider;
        _logger = logger;
        _bumpEpoch = () => Interlocked.Increment(ref _epoch);
    }

    /// <summary>Raised after a breaker's state as operators see it changed (rarely: never on a request that changes nothing).</summary>
    public event Action<BreakerTransition>? BreakerChanged;

    /// <summary>Changes whenever any breaker or health state changes; cached effective splits compare against it.</summary>
    public long Epoch => Interlocked.Read(ref _epoch);

    /// <summary>The breaker of a cluster, created on first use.</summary>
    public ClusterBreaker GetBreaker(string clusterId) =>
        _breakers.GetOrAdd(clusterId, static (id, registry) => registry.CreateBreaker(id), this);

    /// <summary>The split as it applies now (request path: a cached object unless a health state changed).</summary>
    public EffectiveSplit Resolve(SplitSnapshot snapshot)
    {
        var cached = snapshot.Effective;
        var epoch = Epoch;
        if (cached is not null && cached.Epoch == epoch)
        {
            return cached;
        }

        var breakers = new ClusterBreaker[snapshot.ClusterIds.Count];
        for (var i = 0; i < breakers.Length; i++)
        {
            breakers[i] = GetBreaker(snapshot.ClusterIds[i]);
        }

        var effective = new EffectiveSplit(epoch, snapshot, breakers);
        snapshot.Effective = effective;
        return effective;
    }

    /// <summary>Destinations and breaker state of a cluster.</summary>
    public ClusterHealthStatus GetStatus(string clusterId)
    {
        var (healthy, total) = CountDestinations(clusterId);
        var breaker = GetBreaker(clusterId);
        return new ClusterHealthStatus(clusterId, healthy, total, OperatorState(breaker), breaker.Reason);
    }

    /// <summary>True when the cluster has a healthy destination and its breaker lets traffic through.</summary>
    public bool IsAvailable(string clusterId) => CountDestinations(clusterId).Healthy > 0 && GetBreaker(clusterId).AcceptsTraffic;

    /// <inheritdoc />
    public string? OutageOf(string clusterId)
    {
        var breaker = GetBreaker(clusterId);
        switch (breaker.Isolation)
        {
            case IsolationCause.Manual:
                return null;
            case IsolationCause.Health:
                return breaker.Reason;
        }

        if (breaker.State is BreakerState.Open or BreakerState.HalfOpen)
        {
            return "breaker open: " + breaker.Reason;
        }

        var (healthy, total) = CountDestinations(clusterId);
        return total > 0 && healthy == 0 ? $"0/{total} destinations healthy" : null;
    }

    /// <summary>
    /// An operator takes the cluster out of rotation until <see cref="ResetAsync"/>. Kept in memory only: the admin API
    /// goes through <see cref="ManualIsolationStore"/>, which commits the isolation first.
    /// </summary>
    public ValueTask IsolateAsync(string clusterId, string reason) => GetBreaker(clusterId).IsolateAsync(IsolationCause.Manual, reason);

    /// <summary>An operator closes the breaker and lifts any isolation.</summary>
    public ValueTask ResetAsync(string clusterId) => GetBreaker(clusterId).ResetAsync();

    /// <summary>Lifts the cluster's manual isolation, if it has one; an open breaker or a health isolation stays.</summary>
    public ValueTask LiftManualIsolationAsync(string clusterId) =>
        _breakers.TryGetValue(clusterId, out var breaker) ? breaker.ManualIsolationLiftedAsync() : ValueTask.CompletedTask;

    /// <summary>The clusters an operator isolated on this instance.</summary>
    public IReadOnlyList<string> ManuallyIsolatedClusters() =>
        [.. _breakers.Where(b => b.Value.Isolation == IsolationCause.Manual).Select(b => b.Key)];

    /// <summary>The weights applied after breakers, in basis points (all 0 when no cluster is available).</summary>
    public IReadOnlyList<ClusterWeight> EffectiveWeights(SplitSnapshot snapshot)
    {
        var effective = Resolve(snapshot);
        return snapshot.ClusterIds.Select((id, i) => new ClusterWeight(id, effective.BasisPoints?[i] ?? 0)).ToArray();
    }

    /// <summary>Sets breaker thresholds (and the routes of each cluster, for logs); breakers whose thresholds change are rebuilt, keeping any isolation.</summary>
    public void ConfigureBreakers(CircuitBreakerSettings defaults, IReadOnlyDictionary<string, CircuitBreakerSettings> byCluster, IReadOnlyDictionary<string, string> routesByCluster)
    {
        _settings = new BreakerSettingsTable(
            defaults,
            byCluster.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase),
            routesByCluster.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase));
        foreach (var (clusterId, breaker) in _breakers)
        {
            if (breaker.Settings != SettingsFor(clusterId))
            {
                var replacement = CreateBreaker(clusterId);
                if (breaker.Isolation != IsolationCause.None)
                {
                    replacement.IsolateAsync(breaker.Isolation, breaker.Reason ?? "isolated").AsTask().GetAwaiter().GetResult();
                }

                _breakers[clusterId] = replacement;
                breaker.Dispose();
            }
        }

        _bumpEpoch();
    }

    /// <summary>Called after an active health probe round: isolate a cluster with no healthy destination, restore it when one returns.</summary>
    internal async ValueTask OnActiveHealthChangedAsync(ClusterState cluster)
    {
        var total = 0;
        var unhealthy = 0;
        foreach (var destination in cluster.Destinations.Values)
        {
            total++;
            if (destination.Health.Active == DestinationHealth.Unhealthy)
            {
                unhealthy++;
            }
        }

        var breaker = GetBreaker(cluster.ClusterId);
        if (total > 0 && unhealthy == total)
        {
            await breaker.IsolateAsync(IsolationCause.Health, $"active health: 0/{total} destinations healthy").ConfigureAwait(false);
        }
        else
        {
            await breaker.HealthRecoveredAsync().ConfigureAwait(false);
        }

        _bumpEpoch();
    }

    private (int Healthy, int Total) CountDestinations(string clusterId)
    {
        if (!_proxyState.TryGetCluster(clusterId, out var cluster))
        {
            return (0, 0);
        }

        var healthy = 0;
        var total = 0;
        foreach (var destination in cluster.Destinations.Values)
        {
            total++;
            if (destination.Health.Active != DestinationHealth.Unhealthy && destination.Health.Passive != DestinationHealth.Unhealthy)
            {
                healthy++;
            }
        }

        return (healthy, total);
    }

    private CircuitBreakerSettings SettingsFor(string clusterId)
    {
        var table = _settings;
        return table.ByCluster.TryGetValue(clusterId, out var settings) ? settings : table.Defaults;
    }

    private ClusterBreaker CreateBreaker(string clusterId) =>
        new(clusterId, _settings.Routes.GetValueOrDefault(clusterId, "none"), SettingsFor(clusterId), _timeProvider, _logger, () => OnBreakerChanged(clusterId));

    // The state as operators see it: an isolation (by them or by health) shows as Isolated whatever Polly's state.
    private static BreakerState OperatorState(ClusterBreaker breaker) => breaker.Isolation != IsolationCause.None ? BreakerState.Isolated : breaker.State;

    // Every breaker callback lands here; only a change of the state operators see is reported (a trial falling due is not).
    private void OnBreakerChanged(string clusterId)
    {
        _bumpEpoch();
        if (BreakerChanged is not { } changed || !_breakers.TryGetValue(clusterId, out var breaker))
        {
            return;
        }

        BreakerTransition? transition = null;
        lock (_reported)
        {
            var to = OperatorState(breaker);
            var from = _reported.GetValueOrDefault(clusterId, BreakerState.Closed);
            if (from != to)
            {
                _reported[clusterId] = to;
                transition = new BreakerTransition(clusterId, breaker.Routes, from, to, breaker.Reason);
            }
        }

        if (transition is not null)
        {
            changed(transition);
        }
    }

    public void Dispose()
    {
        foreach (var breaker in _breakers.Values)
        {
            breaker.Dispose();
        }
    }

    private sealed record BreakerSettingsTable(
        CircuitBreakerSettings Defaults,
        FrozenDictionary<string, CircuitBreakerSettings> ByCluster,
        FrozenDictionary<string, string> Routes);
}
