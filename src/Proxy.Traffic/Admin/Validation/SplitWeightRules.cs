using FluentValidation;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Admin.Validation;

/// <summary>Rules shared by the admin request validators.</summary>
internal static class SplitWeightRules
{
    /// <summary>The longest reason the audit trail keeps.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>The route's split, when the request is about a route that has one.</summary>
    public static SplitSnapshot? SplitOf<T>(ValidationContext<T> context) =>
        context.RootContextData.TryGetValue(RouteSplitFilter.SplitKey, out var split) ? split as SplitSnapshot : null;

    /// <summary>Adds a failure when <paramref name="cluster"/> is not a cluster of the route's split.</summary>
    public static void RequireClusterOfSplit<T>(ValidationContext<T> context, string field, string cluster)
    {
        if (SplitOf(context) is { } split && split.IndexOf(cluster) < 0)
        {
            context.AddFailure(field, $"cluster '{cluster}' is not part of route '{split.RouteId}''s split ({string.Join(", ", split.ClusterIds)})");
        }
    }

    /// <summary>Reason: optional, at most <see cref="MaxReasonLength"/> characters.</summary>
    public static void ReasonRule<T>(this AbstractValidator<T> validator, System.Linq.Expressions.Expression<Func<T, string?>> reason) =>
        validator.RuleFor(reason).MaximumLength(MaxReasonLength).OverridePropertyName("reason")
            .WithMessage($"the reason must be at most {MaxReasonLength} characters");
}
