namespace Proxy.Traffic.Experiments.Counting;

/// <summary>Counts one experiment's users per arm, once each: who was exposed, and who converted on each goal.</summary>
public interface IExperimentCounter
{
    /// <summary>True when <see cref="Convert"/> needs the user's assigned arm (the counter may not have seen the exposure).</summary>
    bool NeedsAssignedArm { get; }

    /// <summary>A user was served by an arm (the first arm a user is seen on is theirs).</summary>
    void Expose(ulong user, int arm);

    /// <summary>
    /// A user reached a goal. <paramref name="assignedArm"/> is the arm the assignment gives the user now (-1 when unknown),
    /// used only by counters that may not have seen the user's exposure themselves.
    /// </summary>
    void Convert(ulong user, int goal, int assignedArm);

    /// <summary>The counts now.</summary>
    Task<ExperimentCounts> ReadAsync(CancellationToken cancellationToken);
}
