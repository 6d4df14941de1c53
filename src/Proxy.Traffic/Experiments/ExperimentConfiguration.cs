using Proxy.Traffic.Configuration;
using Proxy.Traffic.Flags;

namespace Proxy.Traffic.Experiments;

/// <summary>Checks a route's <c>Experiment</c> section against its split and the flags, and compiles it.</summary>
public static class ExperimentConfiguration
{
    /// <summary>Checks the experiment; <paramref name="fail"/> gets each field (below <c>Experiment</c>) and message.</summary>
    public static void Check(string routeId, RouteSplitOptions route, ExperimentOptions experiment, IReadOnlyDictionary<string, FlagOptions> flags, Action<string, string> fail)
    {
        if (!ResourceName.IsValid(experiment.Name))
        {
            fail("Name", $"a name of {ResourceName.Rule} is required");
        }

        if (experiment.Flag is { } flagName)
        {
            if (experiment.Arms.Count > 0)
            {
                fail("Arms", "an experiment on a flag compares the flag's variants; leave Arms out");
            }

            if (!flags.TryGetValue(flagName, out var flag))
            {
                fail("Flag", $"flag '{flagName}' is not defined under TrafficSplit:Flags");
            }
            else
            {
                if (!flag.Routes.Contains("*") && !flag.Routes.Contains(routeId, StringComparer.OrdinalIgnoreCase))
                {
                    fail("Flag", $"flag '{flagName}' does not apply to route '{routeId}' (its Routes)");
                }

                if (flag.Variants.Count < 2)
                {
                    fail("Flag", $"flag '{flagName}' needs at least two variants to compare");
                }
            }
        }
        else
        {
            var arms = ArmsOf(route, experiment);
            if (arms.Count < 2)
            {
                fail("Arms", "at least two arms (clusters of the route's Weights) are required");
            }

            for (var i = 0; i < experiment.Arms.Count; i++)
            {
                if (!route.Weights.ContainsKey(experiment.Arms[i]))
                {
                    fail($"Arms:{i}", $"cluster '{experiment.Arms[i]}' must be listed in the route's Weights");
                }
            }

            if (experiment.Arms.Distinct(StringComparer.Ordinal).Count() != experiment.Arms.Count)
            {
                fail("Arms", "an arm is listed twice");
            }

            if (route.Sticky is null)
            {
                fail("Arms", "an experiment on clusters needs the route's Sticky settings, so that each user keeps one arm");
            }
        }

        if (experiment.Goals.Count == 0)
        {
            fail("Goals", "at least one goal is required");
        }

        for (var i = 0; i < experiment.Goals.Count; i++)
        {
            var goal = experiment.Goals[i];
            if (!ResourceName.IsValid(goal.Name))
            {
                fail($"Goals:{i}:Name", $"a name of {ResourceName.Rule} is required");
            }

            if (string.IsNullOrWhiteSpace(goal.Path) || !goal.Path.Trim().StartsWith('/'))
            {
                fail($"Goals:{i}:Path", "a path starting with '/' is required (end it with '*' for a prefix)");
            }

            if (!ExperimentGoal.TryParseStatus(goal.Status, out _, out _))
            {
                fail($"Goals:{i}:Status", "must be 1xx–5xx, a status code from 100 to 599, or any");
            }

            if (goal.Method is { } method && (method.Length is 0 or > 16 || !method.All(char.IsAsciiLetter)))
            {
                fail($"Goals:{i}:Method", "must be an HTTP method such as POST");
            }
        }

        if (experiment.Goals.Select(g => g.Name).Distinct(StringComparer.Ordinal).Count() != experiment.Goals.Count)
        {
            fail("Goals", "goal names must be unique");
        }

        if (experiment.Goals.Count(g => g.Primary) > 1)
        {
            fail("Goals", "at most one goal is Primary");
        }

        Range(experiment.Alpha, 0.001, 0.2, "Alpha", fail);
        Range(experiment.MinimumDetectableLift, 0.1, 1000, "MinimumDetectableLift", fail);
        Range(experiment.MixingStandardDeviation, 0.001, 1, "MixingStandardDeviation", fail);
        Range(experiment.MaxUsers, 1_000, 10_000_000, "MaxUsers", fail);
        Range(experiment.MinimumUsersPerArm, 10, 1_000_000, "MinimumUsersPerArm", fail);
    }

    /// <summary>Compiles a checked experiment.</summary>
    public static ExperimentDefinition Compile(string routeId, RouteSplitOptions route, ExperimentOptions experiment, IReadOnlyDictionary<string, FlagOptions> flags)
    {
        IReadOnlyList<string> arms;
        ExperimentUserKey key;
        if (experiment.Flag is { } flagName)
        {
            var flag = FlagRules.Compile(flagName, flags[flagName], null);
            arms = [flag.Variants[flag.DefaultVariant], .. flag.Variants.Where((_, i) => i != flag.DefaultVariant)];
            key = new ExperimentUserKey(flag.Key.Header, flag.Key.Cookie, null);
        }
        else
        {
            arms = ArmsOf(route, experiment);
            _ = StickyKey.TryParse(route.Sticky!.Key, out var header, out var cookie);
            key = new ExperimentUserKey(header, cookie, route.Sticky.Cookie);
        }

        var defaults = ExperimentSettings.Default;
        var settings = new ExperimentSettings(
            experiment.Alpha ?? defaults.Alpha,
            experiment.MinimumDetectableLift / 100 ?? defaults.MinimumDetectableLift,
            experiment.MixingStandardDeviation ?? defaults.Tau,
            experiment.MaxUsers ?? defaults.MaxUsers,
            experiment.MinimumUsersPerArm ?? defaults.MinimumUsersPerArm);
        var primary = Math.Max(0, experiment.Goals.FindIndex(g => g.Primary));
        var fingerprint = System.Text.Json.JsonSerializer.Serialize(new { experiment, arms, key });
        return new ExperimentDefinition(routeId, experiment.Name!, arms, experiment.Flag, [.. experiment.Goals.Select(ExperimentGoal.From)], primary, settings, key, fingerprint);
    }

    // Default: the split's clusters, stable first (the control), then the others in their order.
    private static List<string> ArmsOf(RouteSplitOptions route, ExperimentOptions experiment) =>
        experiment.Arms.Count > 0
            ? experiment.Arms
            : [.. route.Weights.Keys.Where(c => c == route.Stable), .. route.Weights.Keys.Where(c => c != route.Stable)];

    private static void Range(double? value, double low, double high, string field, Action<string, string> fail)
    {
        if (value is { } v && !(v >= low && v <= high))
        {
            fail(field, $"must be between {low} and {high}");
        }
    }
}
