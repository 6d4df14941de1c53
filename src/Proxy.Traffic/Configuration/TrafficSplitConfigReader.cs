using Microsoft.Extensions.Configuration;
using Proxy.Traffic.Experiments;
using Proxy.Traffic.Flags;
using Proxy.Traffic.Health;
using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Rollouts.Templates;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Configuration;

/// <summary>Reads and validates the <c>TrafficSplit</c> section into split definitions, collecting every error.</summary>
public sealed class TrafficSplitConfigReader(IConfiguration configuration, ProxyTopology topology)
{
    /// <summary>Reads the section as it is now.</summary>
    public TrafficSplitConfig Read()
    {
        var section = configuration.GetSection(TrafficSplitOptions.SectionName);
        TrafficSplitOptions options;
        try
        {
            options = section.Get<TrafficSplitOptions>(binder => binder.ErrorOnUnknownConfiguration = true) ?? new TrafficSplitOptions();
        }
        catch (InvalidOperationException ex)
        {
            return TrafficSplitConfig.Invalid([$"{TrafficSplitOptions.SectionName}: {ex.InnerException?.Message ?? ex.Message}"]);
        }

        var clusters = topology.ClusterIds();
        var routes = topology.RouteIds();
        var validator = new RouteSplitOptionsValidator(clusters);
        var errors = new List<string>();
        if (options.CircuitBreaker is { } defaults)
        {
            errors.AddRange(new CircuitBreakerOptionsValidator().Validate(defaults).Errors
                .Select(e => $"{TrafficSplitOptions.SectionName}:CircuitBreaker:{e.PropertyName}: {e.ErrorMessage}"));
        }

        var templates = RolloutTemplateConfiguration.Check(
            options.RolloutTemplates, (name, error) => errors.Add($"{TrafficSplitOptions.SectionName}:RolloutTemplates:{name}:{error}"));
        var definitions = new Dictionary<string, SplitDefinition>(StringComparer.OrdinalIgnoreCase);
        var rollouts = new Dictionary<string, RolloutPlan>(StringComparer.OrdinalIgnoreCase);
        var fingerprints = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (routeId, route) in options.Routes)
        {
            var path = $"{TrafficSplitOptions.SectionName}:Routes:{routeId}";
            var before = errors.Count;
            if (routes.Count > 0 && !routes.Contains(routeId))
            {
                errors.Add($"{path}: route '{routeId}' is not defined under ReverseProxy:Routes");
            }

            errors.AddRange(validator.Validate(route).Errors.Select(e => $"{path}:{e.PropertyName.Replace('.', ':')}: {e.ErrorMessage}"));
            var declared = route.Rollout is { } rollout ? RolloutTemplateMerge.Resolve(rollout, templates) : null;
            if (route.Rollout is { Template: { } template } && declared is null)
            {
                errors.Add(options.RolloutTemplates.ContainsKey(template)
                    ? $"{path}:Rollout:template: template '{template}' is not valid (its errors are listed)"
                    : $"{path}:Rollout:template: no template '{template}' under {TrafficSplitOptions.SectionName}:RolloutTemplates");
            }
            else if (declared is not null)
            {
                errors.AddRange(DeclaredRolloutErrors(route, declared).Select(e => $"{path}:Rollout:{e}"));
            }

            if (route.Experiment is { } experiment)
            {
                ExperimentConfiguration.Check(routeId, route, experiment, options.Flags, (field, message) => errors.Add($"{path}:Experiment{(field.Length > 0 ? ":" + field : "")}: {message}"));
            }

            if (errors.Count == before)
            {
                definitions[routeId] = ToDefinition(route);
                if (declared is not null)
                {
                    rollouts[routeId] = RolloutPlanReader.Read(declared);
                    if (route.Rollout!.Template is not null)
                    {
                        fingerprints[routeId] = RolloutTemplateConfiguration.DeclarationFingerprint(route.Rollout);
                    }
                }
            }
        }

        var flagsPath = $"{TrafficSplitOptions.SectionName}:Flags";
        foreach (var spellings in CaseVariantKeys.Under(configuration, flagsPath))
        {
            // A flag's runtime setting is keyed case-insensitively, while X-Proxy-Flags and OFREP name it exactly.
            errors.Add($"{flagsPath}:{spellings[^1]}: flag names must differ in more than case ({string.Join(", ", spellings.Select(s => $"'{s}'"))}); "
                + "spell the flag the same way in every source, or give the flags different names");
        }

        foreach (var (name, flag) in options.Flags)
        {
            FlagRules.Check(name, flag, routes, (field, message) => errors.Add($"{flagsPath}:{name}{(field.Length > 0 ? ":" + field : "")}: {message}"));
        }

        if (errors.Count > 0)
        {
            return TrafficSplitConfig.Invalid(errors);
        }

        var breakerDefaults = options.CircuitBreaker?.ApplyTo(CircuitBreakerSettings.Default) ?? CircuitBreakerSettings.Default;
        return new TrafficSplitConfig(definitions, string.IsNullOrWhiteSpace(options.ServedByHeader) ? null : options.ServedByHeader, [])
        {
            BreakerDefaults = breakerDefaults,
            Breakers = BreakersByCluster(options, breakerDefaults),
            Mirrors = options.Routes.Where(r => r.Value.Mirror is not null)
                .ToDictionary(r => r.Key, r => r.Value.Mirror!.ToSettings(), StringComparer.OrdinalIgnoreCase),
            DeclaredRollouts = rollouts,
            DeclaredRolloutFingerprints = fingerprints,
            RolloutTemplates = templates,
            Flags = options.Flags,
            Experiments = [.. options.Routes.Where(r => r.Value.Experiment is not null)
                .Select(r => ExperimentConfiguration.Compile(r.Key, r.Value, r.Value.Experiment!, options.Flags))],
            RouteIds = routes,
        };
    }

    // The plan's own rules, plus what the admin API checks against the split in force: here, the route's Weights.
    private static IEnumerable<string> DeclaredRolloutErrors(RouteSplitOptions route, StartRolloutRequest rollout)
    {
        foreach (var error in new RolloutPlanValidator().Validate(rollout).Errors)
        {
            yield return $"{error.PropertyName}: {error.ErrorMessage}";
        }

        if (rollout.Candidate is { Length: > 0 } candidate && (!route.Weights.ContainsKey(candidate) || candidate == route.Stable))
        {
            yield return $"candidate: '{candidate}' must be listed in the route's Weights and not be its Stable cluster";
        }
    }

    private static Dictionary<string, CircuitBreakerSettings> BreakersByCluster(TrafficSplitOptions options, CircuitBreakerSettings defaults)
    {
        var byCluster = new Dictionary<string, CircuitBreakerSettings>(StringComparer.OrdinalIgnoreCase);
        foreach (var (_, route) in options.Routes.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var settings = route.CircuitBreaker?.ApplyTo(defaults) ?? defaults;
            foreach (var cluster in route.Weights.Keys)
            {
                byCluster.TryAdd(cluster, settings);
            }
        }

        return byCluster;
    }

    private static SplitDefinition ToDefinition(RouteSplitOptions route)
    {
        var weights = route.Weights
            .Select(w => new ClusterWeight(w.Key, RouteSplitOptions.TryParseWeight(w.Value, out var percent) ? BasisPoints.FromPercent(percent) : 0))
            .ToArray();
        StickySettings? sticky = null;
        if (route.Sticky is { } options)
        {
            // Validation has accepted the key form, or there is none (then both stay null: gateway cookie only).
            _ = StickyKey.TryParse(options.Key, out var header, out var cookie);
            sticky = new StickySettings(header, cookie, options.Cookie, options.CookieMaxAge);
        }

        var overrides = route.Overrides
            .Select(o => string.IsNullOrWhiteSpace(o.Header)
                ? new OverrideRule(OverrideSource.Cookie, o.Cookie!, o.Values)
                : new OverrideRule(OverrideSource.Header, o.Header, o.Values))
            .ToArray();

        return new SplitDefinition(route.Stable!, weights, sticky, overrides);
    }
}
