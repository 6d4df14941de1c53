using FluentValidation;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Configuration;

/// <summary>Validates one route's split against the clusters YARP knows. Property names are configuration paths below the route.</summary>
public sealed class RouteSplitOptionsValidator : AbstractValidator<RouteSplitOptions>
{
    public RouteSplitOptionsValidator(IReadOnlySet<string> knownClusters)
    {
        RuleFor(r => r.Stable)
            .NotEmpty().WithMessage("the stable cluster is required")
            .Must((route, stable) => route.Weights.ContainsKey(stable!))
            .When(r => !string.IsNullOrEmpty(r.Stable), ApplyConditionTo.CurrentValidator)
            .WithMessage((_, stable) => $"stable cluster '{stable}' must be listed in Weights");

        RuleFor(r => r.Weights).Custom((weights, context) =>
        {
            if (weights.Count == 0)
            {
                context.AddFailure("Weights", "at least one cluster weight is required");
                return;
            }

            var sum = 0m;
            var allNumbers = true;
            foreach (var (cluster, text) in weights)
            {
                if (knownClusters.Count > 0 && !knownClusters.Contains(cluster))
                {
                    context.AddFailure($"Weights:{cluster}", $"cluster '{cluster}' is not defined under ReverseProxy:Clusters");
                }

                if (!RouteSplitOptions.TryParseWeight(text, out var percent))
                {
                    context.AddFailure($"Weights:{cluster}", $"weight '{text}' is not a number");
                    allNumbers = false;
                    continue;
                }

                if (!BasisPoints.IsValidPercent(percent))
                {
                    context.AddFailure($"Weights:{cluster}", $"weight {percent} must be between 0 and 100 with at most two decimals");
                }

                // Out of range, it says nothing about the sum, and two near decimal.MaxValue would overflow it.
                if (percent is < 0m or > 100m)
                {
                    allNumbers = false;
                    continue;
                }

                sum += percent;
            }

            if (allNumbers && sum != 100m)
            {
                context.AddFailure("Weights", $"weights sum to {sum}; they must sum to exactly 100");
            }
        });

        RuleFor(r => r.Sticky!).SetValidator(new StickyOptionsValidator()).When(r => r.Sticky is not null);
        RuleFor(r => r.CircuitBreaker!).SetValidator(new CircuitBreakerOptionsValidator()).When(r => r.CircuitBreaker is not null);
        RuleFor(r => r.Mirror!).SetValidator(new MirrorOptionsValidator(knownClusters)).When(r => r.Mirror is not null);

        RuleFor(r => r.Overrides).Custom((rules, context) =>
        {
            var route = context.InstanceToValidate;
            for (var i = 0; i < rules.Count; i++)
            {
                var rule = rules[i];
                var path = $"Overrides:{i}";
                if (string.IsNullOrWhiteSpace(rule.Header) == string.IsNullOrWhiteSpace(rule.Cookie))
                {
                    context.AddFailure(path, "set exactly one of Header or Cookie");
                }

                if (rule.Values.Count == 0)
                {
                    context.AddFailure($"{path}:Values", "at least one value → cluster mapping is required");
                }

                foreach (var (value, cluster) in rule.Values)
                {
                    if (!route.Weights.ContainsKey(cluster))
                    {
                        context.AddFailure($"{path}:Values:{value}", $"cluster '{cluster}' must be listed in the route's Weights");
                    }
                }
            }
        });
    }
}
