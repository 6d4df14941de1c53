using System.Collections.Concurrent;

namespace Proxy.Traffic.Experiments.Counting;

/// <summary>
/// Counts an experiment's users exactly, on this instance: a concurrent map of user hash → arm, and per goal a set of
/// converted users (a user converts at most once per goal, in the arm they were exposed to; a user never exposed does not
/// count). Memory is bounded: at most <see cref="MaxUsers"/> users are tracked (≈ 64 bytes each in the map, as many per goal
/// conversion); past the limit new users are no longer counted and the counts say <c>capped</c>.
/// </summary>
public sealed class ExactExperimentCounter : IExperimentCounter
{
    private readonly ConcurrentDictionary<ulong, int> _arms = new();
    private readonly ConcurrentDictionary<ulong, byte>[] _converted;
    private readonly long[] _exposed;
    private readonly long[][] _conversions;
    private int _tracked;

    public ExactExperimentCounter(int arms, int goals, int maxUsers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(arms, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(goals);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxUsers);
        MaxUsers = maxUsers;
        _exposed = new long[arms];
        _converted = [.. Enumerable.Range(0, goals).Select(_ => new ConcurrentDictionary<ulong, byte>())];
        _conversions = [.. Enumerable.Range(0, goals).Select(_ => new long[arms])];
    }

    /// <summary>Most users tracked.</summary>
    public int MaxUsers { get; }

    /// <summary>True when a user is new to this counter and was added: what a fleet-wide counter needs to send on.</summary>
    public bool TryExpose(ulong user, int arm)
    {
        if (_arms.ContainsKey(user) || Volatile.Read(ref _tracked) >= MaxUsers)
        {
            return false;
        }

        if (!_arms.TryAdd(user, arm))
        {
            return false;
        }

        Interlocked.Increment(ref _tracked);
        Interlocked.Increment(ref _exposed[arm]);
        return true;
    }

    /// <summary>The arm a user was exposed to here, or -1.</summary>
    public int ArmOf(ulong user) => _arms.TryGetValue(user, out var arm) ? arm : -1;

    /// <summary>True when the user's conversion on the goal is new here and was counted (in <paramref name="arm"/>).</summary>
    public bool TryConvert(ulong user, int goal, int arm)
    {
        if (arm < 0 || _converted[goal].ContainsKey(user) || _converted[goal].Count >= MaxUsers || !_converted[goal].TryAdd(user, 0))
        {
            return false;
        }

        Interlocked.Increment(ref _conversions[goal][arm]);
        return true;
    }

    public bool NeedsAssignedArm => false;

    public void Expose(ulong user, int arm) => TryExpose(user, arm);

    public void Convert(ulong user, int goal, int assignedArm) => TryConvert(user, goal, ArmOf(user));

    public Task<ExperimentCounts> ReadAsync(CancellationToken cancellationToken) => Task.FromResult(Read());

    /// <summary>The counts now (synchronously).</summary>
    public ExperimentCounts Read() => new(
        Snapshot(_exposed),
        [.. _conversions.Select(Snapshot)],
        "exact",
        0,
        Volatile.Read(ref _tracked) >= MaxUsers);

    private static long[] Snapshot(long[] counts)
    {
        var copy = new long[counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            copy[i] = Interlocked.Read(ref counts[i]);
        }

        return copy;
    }
}
