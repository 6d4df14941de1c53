using System.Collections.Frozen;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Proxy.Traffic.Health;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace Proxy.Traffic.Mirroring;

/// <summary>
/// Sends mirror copies through the mirror cluster as YARP holds it: its own <see cref="HttpMessageInvoker"/> (the
/// cluster's HttpClient settings), its available destinations (so active health and the cluster's
/// AvailableDestinationsPolicy apply) and its load-balancing policy. The send runs on the thread pool, is bounded by
/// the mirror's timeout and observes all of its own exceptions; the answer is read to the end and discarded.
/// </summary>
public sealed partial class MirrorSender(IProxyStateLookup proxyState, IEnumerable<ILoadBalancingPolicy> policies, ILogger<MirrorSender> logger)
{
    private readonly FrozenDictionary<string, ILoadBalancingPolicy> _policies =
        policies.ToFrozenDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Picks a destination while the request is alive and starts the copy; returns at once.</summary>
    internal void Start(HttpContext context, MirrorExchange exchange, MirrorRequest copy, ReadOnlyMemory<byte> body)
    {
        var route = exchange.Route;
        HttpRequestMessage message;
        HttpMessageInvoker invoker;
        try
        {
            if (!proxyState.TryGetCluster(route.Settings.ClusterId, out var cluster) || PickDestination(context, cluster) is not { } destination)
            {
                LogNoDestination(logger, route.RouteId, route.Settings.ClusterId);
                exchange.Sent();
                exchange.MirrorCompleted(null, TimeSpan.Zero, timedOut: false);
                return;
            }

            invoker = cluster.Model.HttpClient;
            message = copy.ToMessage(destination.Model.Config.Address, body, cluster.Model.Config.HttpRequest);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Whatever goes wrong here is the mirror's failure, never the primary's.
            LogMirrorFailed(logger, route.RouteId, route.Settings.ClusterId, ex);
            exchange.Sent();
            exchange.MirrorCompleted(null, TimeSpan.Zero, timedOut: false);
            return;
        }

        exchange.Sent();
        _ = Task.Run(() => SendAsync(invoker, message, exchange));
    }

    private DestinationState? PickDestination(HttpContext context, ClusterState cluster)
    {
        var available = cluster.DestinationsState.AvailableDestinations;
        if (available.Count <= 1)
        {
            return available.Count == 0 ? null : available[0];
        }

        var policyName = cluster.Model.Config.LoadBalancingPolicy ?? LoadBalancingPolicies.PowerOfTwoChoices;
        return _policies.TryGetValue(policyName, out var policy) ? policy.PickDestination(context, cluster, available) : available[0];
    }

    private async Task SendAsync(HttpMessageInvoker invoker, HttpRequestMessage message, MirrorExchange exchange)
    {
        var route = exchange.Route;
        var started = Stopwatch.GetTimestamp();
        using var timeout = new CancellationTokenSource(route.Settings.Timeout);
        try
        {
            using var response = await invoker.SendAsync(message, timeout.Token).ConfigureAwait(false);
            await response.Content.CopyToAsync(Stream.Null, timeout.Token).ConfigureAwait(false);
            exchange.MirrorCompleted(GrpcOutcome.Adjust(response), Stopwatch.GetElapsedTime(started), timedOut: false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            exchange.MirrorCompleted(null, Stopwatch.GetElapsedTime(started), timedOut: true);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogMirrorFailed(logger, route.RouteId, route.Settings.ClusterId, ex);
            exchange.MirrorCompleted(null, Stopwatch.GetElapsedTime(started), timedOut: false);
        }
        finally
        {
            message.Dispose();
        }
    }

    [LoggerMessage(EventId = EventIds.MirrorNoDestination, Level = LogLevel.Debug, Message = "Route {RouteId}: mirror cluster {ClusterId} has no available destination; the copy counts as a mirror error")]
    private static partial void LogNoDestination(ILogger logger, string routeId, string clusterId);

    [LoggerMessage(EventId = EventIds.MirrorCopyFailed, Level = LogLevel.Debug, Message = "Route {RouteId}: mirror copy to cluster {ClusterId} failed")]
    private static partial void LogMirrorFailed(ILogger logger, string routeId, string clusterId, Exception exception);
}
