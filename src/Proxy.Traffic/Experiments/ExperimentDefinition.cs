namespace Proxy.Traffic.Experiments;

/// <summary>An experiment as the configuration file declares it, compiled: its arms, goals, test settings and how users are keyed.</summary>
/// <param name="RouteId">The route whose requests expose users.</param>
/// <param name="Name">The experiment's name.</param>
/// <param name="Arms">Cluster ids (or, with <paramref name="Flag"/>, variant names); the first is the control.</param>
/// <param name="Flag">The flag whose variants are the arms, or null when the arms are clusters.</param>
/// <param name="Goals">The goals; <paramref name="PrimaryGoal"/> decides the outcome.</param>
/// <param name="PrimaryGoal">Index of the primary goal.</param>
/// <param name="Settings">The statistics' settings.</param>
/// <param name="Key">Where a user's key comes from.</param>
/// <param name="Fingerprint">Changes when the declaration changes: a changed experiment starts counting again.</param>
public sealed record ExperimentDefinition(
    string RouteId,
    string Name,
    IReadOnlyList<string> Arms,
    string? Flag,
    IReadOnlyList<ExperimentGoal> Goals,
    int PrimaryGoal,
    ExperimentSettings Settings,
    ExperimentUserKey Key,
    string Fingerprint)
{
    /// <summary>Index of an arm, or -1.</summary>
    public int IndexOf(string arm)
    {
        for (var i = 0; i < Arms.Count; i++)
        {
            if (string.Equals(Arms[i], arm, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>The statistics' settings of an experiment.</summary>
/// <param name="Alpha">The false-positive rate of the sequential test (and 1 − the intervals' coverage).</param>
/// <param name="MinimumDetectableLift">The relative lift the "users needed" estimate is for (0.02 = 2 %).</param>
/// <param name="Tau">The mixing standard deviation of the mSPRT.</param>
/// <param name="MaxUsers">Users an instance tracks exactly.</param>
/// <param name="MinimumUsersPerArm">Users each arm needs before a verdict.</param>
public sealed record ExperimentSettings(double Alpha, double MinimumDetectableLift, double Tau, int MaxUsers, int MinimumUsersPerArm)
{
    /// <summary>The defaults.</summary>
    public static readonly ExperimentSettings Default = new(0.05, 0.02, Statistics.MixtureSequentialTest.DefaultMixingStandardDeviation, 1_000_000, 100);
}
