using System.Globalization;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Rollouts.Rollback;

/// <summary>A gradual rollback: the weights the candidate walks down through (ending at 0), one every <see cref="Interval"/>.</summary>
/// <param name="Steps">The candidate's weights in basis points, strictly decreasing, the last 0.</param>
/// <param name="Interval">How long each weight is held before the next.</param>
public sealed record RollbackPlan(IReadOnlyList<int> Steps, TimeSpan Interval)
{
    /// <summary>The plan of a request that passed validation, or null when it asks for none (an instant rollback); the interval defaults to the analysis interval.</summary>
    public static RollbackPlan? Read(RolloutRollbackRequest? request, TimeSpan analysisInterval) => request is null
        ? null
        : new RollbackPlan([.. request.Steps!.Select(BasisPoints.FromPercent)], request.Interval ?? analysisInterval);

    /// <summary>The weights below <paramref name="candidateBasisPoints"/>: those a rollback from there walks through.</summary>
    public IReadOnlyList<int> Below(int candidateBasisPoints) => [.. Steps.Where(s => s < candidateBasisPoints)];

    /// <summary>"50%, 20%, 0%".</summary>
    public static string Describe(IEnumerable<int> steps) =>
        string.Join(", ", steps.Select(s => BasisPoints.ToPercent(s).ToString(CultureInfo.InvariantCulture) + "%"));
}
