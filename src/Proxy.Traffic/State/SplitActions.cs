namespace Proxy.Traffic.State;

/// <summary>The actions recorded in a route's audit trail.</summary>
public static class SplitActions
{
    /// <summary>The configuration file set or changed the split.</summary>
    public const string Config = "config";

    /// <summary>The route's split left the configuration file.</summary>
    public const string Remove = "remove";

    /// <summary>Weights set through the admin API.</summary>
    public const string SetWeights = "set-weights";

    /// <summary>All new traffic sent to the stable cluster.</summary>
    public const string Rollback = "rollback";

    /// <summary>A cluster made stable with all traffic.</summary>
    public const string Promote = "promote";

    /// <summary>The previous revision's split restored.</summary>
    public const string Undo = "undo";

    /// <summary>A rollout moved its candidate to the weight of a step.</summary>
    public const string RolloutStep = "rollout-step";

    /// <summary>A rollout made its candidate stable with all traffic.</summary>
    public const string RolloutPromote = "rollout-promote";

    /// <summary>A rollout sent all traffic back to stable (failed analysis or abort).</summary>
    public const string RolloutRollback = "rollout-rollback";

    /// <summary>A gradual rollback moved the candidate down to one of its plan's <c>rollback.steps</c> (the last, 0, is <see cref="RolloutRollback"/>).</summary>
    public const string RolloutRollbackStep = "rollout-rollback-step";

    /// <summary>An experiment ended and its winning arm was made stable with all traffic.</summary>
    public const string ExperimentPromote = "experiment-promote";

    /// <summary>The actor recorded for changes that the rollout controller makes.</summary>
    public const string RolloutActor = "rollout";

    /// <summary>The actor recorded for changes that come from the configuration file.</summary>
    public const string ConfigActor = "config";
}
