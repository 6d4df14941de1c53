using Microsoft.AspNetCore.Http;
using Proxy.Traffic.Experiments.Counting;
using Proxy.Traffic.Flags;
using Proxy.Traffic.Splitting;
using Yarp.ReverseProxy.Model;

namespace Proxy.Traffic.Experiments;

/// <summary>
/// The experiment step of YARP's proxy pipeline. While no experiment runs it is one volatile read. Otherwise, after the
/// request was answered, it counts the user as exposed to the arm that served them (on an experiment's route) and as
/// converted on every goal the request met (on any route). Users are counted by a hash of their sticky key.
/// </summary>
public sealed class ExperimentMiddleware(RequestDelegate next, ExperimentStore experiments, SplitStore splits, FlagStore flags)
{
    public Task InvokeAsync(HttpContext context)
    {
        var running = experiments.Current.Running;
        return running.Length == 0 ? next(context) : ObserveAsync(context, running);
    }

    private async Task ObserveAsync(HttpContext context, RunningExperiment[] running)
    {
        await next(context).ConfigureAwait(false);
        var routeId = context.GetReverseProxyFeature().Route.Config.RouteId;
        var request = context.Request;
        var path = request.Path.Value.AsSpan();
        var status = context.Response.StatusCode;
        foreach (var experiment in running)
        {
            var definition = experiment.Definition;
            var exposed = string.Equals(definition.RouteId, routeId, StringComparison.OrdinalIgnoreCase);
            var goals = definition.Goals;
            var reached = -1;
            for (var g = 0; g < goals.Count && reached < 0; g++)
            {
                if (goals[g].MatchesRequest(request.Method, path) && goals[g].MatchesStatus(status))
                {
                    reached = g;
                }
            }

            if ((!exposed && reached < 0) || !definition.Key.TryRead(context, out var key))
            {
                continue;
            }

            var user = UserKeyHash.Of(key);
            if (exposed && ServedArm(context, definition, routeId, key) is var arm and >= 0)
            {
                experiment.Counter.Expose(user, arm);
            }

            for (var g = reached; g >= 0 && g < goals.Count; g++)
            {
                if (goals[g].MatchesRequest(request.Method, path) && goals[g].MatchesStatus(status))
                {
                    experiment.Counter.Convert(user, g, experiment.Counter.NeedsAssignedArm ? AssignedArm(definition, key) : -1);
                }
            }
        }
    }

    // The arm the user saw: the cluster that served them, or the flag variant the rollout gave them (a user a targeting rule
    // or the kill switch placed was not randomized and is not counted).
    private int ServedArm(HttpContext context, ExperimentDefinition definition, string routeId, ReadOnlySpan<char> key)
    {
        if (definition.Flag is null)
        {
            return context.GetReverseProxyFeature().Cluster?.Config.ClusterId is { } cluster ? definition.IndexOf(cluster) : -1;
        }

        if (!flags.Current.All.TryGetValue(definition.Flag, out var flag))
        {
            return -1;
        }

        var evaluation = flag.Evaluate(new RequestFlagContext(context.Request, routeId));
        return evaluation.Reason == FlagReason.Split ? definition.IndexOf(flag.Variants[evaluation.Variant]) : -1;
    }

    // The arm the assignment gives a key now: for a counter that may not have seen the user's exposure (another instance did).
    private int AssignedArm(ExperimentDefinition definition, ReadOnlySpan<char> key)
    {
        if (definition.Flag is null)
        {
            return splits.TryGetSnapshot(definition.RouteId, out var split)
                ? definition.IndexOf(split.ClusterIds[split.Layout.ClusterFor(StickyKeyHasher.BucketOf(key))])
                : -1;
        }

        return flags.Current.All.TryGetValue(definition.Flag, out var flag) && flag.Enabled
            ? definition.IndexOf(flag.Variants[flag.Layout.ClusterFor(StickyKeyHasher.BucketOf(flag.Name, key))])
            : -1;
    }
}
