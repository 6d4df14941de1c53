namespace Proxy.Traffic.Rollouts.Analysis;

/// <summary>What one analysis concluded about the candidate. The numbers are the <c>proxy.rollout.verdict</c> gauge's values.</summary>
public enum VerdictOutcome
{
    /// <summary>The candidate broke a limit.</summary>
    Fail = -1,

    /// <summary>Too little traffic, or the evidence points neither way.</summary>
    Inconclusive = 0,

    /// <summary>The candidate met every limit on enough traffic.</summary>
    Pass = 1,
}
