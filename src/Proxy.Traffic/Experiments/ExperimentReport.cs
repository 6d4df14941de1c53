namespace Proxy.Traffic.Experiments;

/// <summary>An experiment's state, counts, statistics and outcome: what <c>GET /api/routes/{id}/experiments/{name}</c> answers.</summary>
/// <param name="Route">The route.</param>
/// <param name="Name">The experiment.</param>
/// <param name="State"><c>running</c>, <c>stopped</c> or <c>promoted</c>.</param>
/// <param name="Flag">The flag whose variants are the arms, or null (the arms are clusters).</param>
/// <param name="Since">When this instance started counting.</param>
/// <param name="Stop">Who stopped (or promoted) it, when and why; null while running.</param>
/// <param name="PrimaryGoal">The goal the outcome is decided on.</param>
/// <param name="Arms">Each arm's allocation, users and guardrails, the control first.</param>
/// <param name="Counting">How users are counted and how precisely.</param>
/// <param name="SampleRatio">The sample-ratio-mismatch check.</param>
/// <param name="Comparisons">Each arm against the control, on each goal.</param>
/// <param name="Outcome">The verdict, in words.</param>
public sealed record ExperimentReport(
    string Route,
    string Name,
    string State,
    string? Flag,
    DateTimeOffset Since,
    ExperimentStatus? Stop,
    string PrimaryGoal,
    ArmReport[] Arms,
    CountingReport Counting,
    SampleRatioReport SampleRatio,
    ComparisonReport[] Comparisons,
    OutcomeReport Outcome);

/// <summary>One arm: its share of the assignment, its users and its upstream's guardrail metrics.</summary>
/// <param name="Arm">The cluster or variant.</param>
/// <param name="Control">True for the control arm.</param>
/// <param name="Allocation">Its share of the assignment in force, percent.</param>
/// <param name="Exposed">Unique users it served.</param>
/// <param name="Goals">Per goal: converted users and conversion rate.</param>
/// <param name="Guardrails">The cluster's error rate and p99 over the gateway's metric window (null for a flag's variants).</param>
public sealed record ArmReport(string Arm, bool Control, decimal Allocation, long Exposed, Dictionary<string, GoalCount> Goals, GuardrailReport? Guardrails);

/// <summary>Converted users on a goal and the rate over exposed users.</summary>
public sealed record GoalCount(long Converted, double Rate);

/// <summary>A cluster's requests, error rate (5xx and transport errors) and p99 latency over the last window.</summary>
public sealed record GuardrailReport(long Requests, double ErrorRate, double P99Milliseconds, TimeSpan Window);

/// <summary>How users are counted: <c>exact</c> (one instance) or <c>redis-hyperloglog</c> (fleet-wide, ≈ 0.81 % standard error).</summary>
public sealed record CountingReport(string Mode, double StandardError, bool Capped, int MaxUsers);

/// <summary>Pearson's chi-square of exposures against the allocation (null: users on an arm allocated nothing), its p-value, and whether a mismatch is declared.</summary>
public sealed record SampleRatioReport(double? ChiSquare, double PValue, double Threshold, bool Detected);

/// <summary>One arm against the control on one goal: lifts, always-valid interval and p-value.</summary>
/// <param name="Arm">The compared arm.</param>
/// <param name="Goal">The goal.</param>
/// <param name="ControlRate">The control's conversion rate.</param>
/// <param name="Rate">The arm's conversion rate.</param>
/// <param name="AbsoluteLift">Rate minus control rate.</param>
/// <param name="AbsoluteInterval">The always-valid interval of the absolute lift [low, high] at the experiment's confidence (Bonferroni over arms).</param>
/// <param name="RelativeLift">Absolute lift over the control rate; null while the control has not converted.</param>
/// <param name="RelativeInterval">The absolute interval over the control rate; null with it.</param>
/// <param name="PValue">The mSPRT's always-valid p-value.</param>
/// <param name="Significant">True when the p-value is below α (divided among the arms).</param>
public sealed record ComparisonReport(
    string Arm, string Goal, double ControlRate, double Rate, double AbsoluteLift, double[] AbsoluteInterval,
    double? RelativeLift, double[]? RelativeInterval, double PValue, bool Significant);

/// <summary>The outcome: a verdict (<c>winner</c>, <c>no-difference-yet</c>, <c>not-enough-users</c>, <c>srm</c>), the winning arm, the words.</summary>
public sealed record OutcomeReport(string Verdict, string? Winner, string Text, long? MoreUsersPerArm);
