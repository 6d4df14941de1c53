namespace Proxy.Traffic.Experiments.Counting;

/// <summary>Unique users per arm, exposed and converted on each goal, as one counter read them.</summary>
/// <param name="Exposed">Exposed users per arm.</param>
/// <param name="Converted">Converted users per goal, then per arm.</param>
/// <param name="Mode">How they were counted: <c>exact</c> or <c>redis-hyperloglog</c>.</param>
/// <param name="StandardError">The counts' relative standard error (0 when exact).</param>
/// <param name="Capped">True when an instance reached its limit of tracked users and stopped adding new ones.</param>
public sealed record ExperimentCounts(long[] Exposed, long[][] Converted, string Mode, double StandardError, bool Capped);
