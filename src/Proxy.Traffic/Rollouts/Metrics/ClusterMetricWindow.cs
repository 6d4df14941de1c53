using Proxy.Traffic.Telemetry;

namespace Proxy.Traffic.Rollouts.Metrics;

/// <summary>
/// One cluster's requests, failures and latency histogram over the last <see cref="History"/>, in time slots of
/// <see cref="SlotLength"/> held in one flat array used as a ring. Recording is a few interlocked increments: no lock,
/// no allocation. A slot is claimed for a new period by a compare-and-swap of its period number and then cleared, so a
/// request recorded by another thread in the same instant may be lost: a sample, never a wrong figure.
/// </summary>
public sealed class ClusterMetricWindow
{
    /// <summary>Length of one slot: the resolution of a window.</summary>
    public static readonly TimeSpan SlotLength = TimeSpan.FromMilliseconds(200);

    /// <summary>Number of slots: <see cref="History"/> = slots × <see cref="SlotLength"/>.</summary>
    public const int SlotCount = 900;

    /// <summary>The longest window that can be read.</summary>
    public static readonly TimeSpan History = SlotLength * SlotCount;

    // Per slot: [period, requests, failures, bucket 0 … bucket 63].
    private const int PeriodOffset = 0;
    private const int RequestsOffset = 1;
    private const int FailuresOffset = 2;
    private const int BucketsOffset = 3;
    private const int Stride = BucketsOffset + LatencyHistogram.BucketCount;

    private readonly long[] _slots = new long[SlotCount * Stride];
    private readonly long _slotTicks;
    private readonly long _frequency;

    /// <summary>A window on the timestamps of <paramref name="timeProvider"/>.</summary>
    public ClusterMetricWindow(TimeProvider timeProvider)
    {
        _frequency = timeProvider.TimestampFrequency;
        _slotTicks = SlotTicks(_frequency);
        for (var slot = 0; slot < SlotCount; slot++)
        {
            _slots[slot * Stride] = -1;
        }
    }

    /// <summary>The length of a slot in timestamp ticks of <paramref name="frequency"/> per second: slot n covers [n × this, (n + 1) × this).</summary>
    public static long SlotTicks(long frequency) => (long)(SlotLength.TotalSeconds * frequency);

    /// <summary>Records one request that ended at <paramref name="now"/> after <paramref name="elapsedTicks"/>.</summary>
    public void Record(long now, long elapsedTicks, bool failed)
    {
        var period = now / _slotTicks;
        var start = (int)(period % SlotCount) * Stride;
        var claimed = Volatile.Read(ref _slots[start + PeriodOffset]);
        if (claimed != period)
        {
            if (claimed > period)
            {
                return; // a thread that stalled for longer than the whole history: its sample is too old to keep
            }

            if (Interlocked.CompareExchange(ref _slots[start + PeriodOffset], period, claimed) == claimed)
            {
                Array.Clear(_slots, start + RequestsOffset, Stride - RequestsOffset);
            }
        }

        Interlocked.Increment(ref _slots[start + RequestsOffset]);
        if (failed)
        {
            Interlocked.Increment(ref _slots[start + FailuresOffset]);
        }

        Interlocked.Increment(ref _slots[start + BucketsOffset + LatencyHistogram.BucketOf(elapsedTicks, _frequency)]);
    }

    /// <summary>Sums the slots that cover the <paramref name="window"/> ending at <paramref name="now"/> (rounded out to whole slots, at most <see cref="History"/>).</summary>
    public WindowStats Read(long now, TimeSpan window)
    {
        var latest = now / _slotTicks;
        var first = Math.Max(latest - (SlotCount - 1), (now - (long)(window.TotalSeconds * _frequency)) / _slotTicks);
        var requests = 0L;
        var failures = 0L;
        var latency = new long[LatencyHistogram.BucketCount];
        for (var period = first; period <= latest; period++)
        {
            if (period < 0)
            {
                continue;
            }

            var start = (int)(period % SlotCount) * Stride;
            if (Volatile.Read(ref _slots[start + PeriodOffset]) != period)
            {
                continue; // nothing was recorded in that period
            }

            requests += Volatile.Read(ref _slots[start + RequestsOffset]);
            failures += Volatile.Read(ref _slots[start + FailuresOffset]);
            for (var bucket = 0; bucket < LatencyHistogram.BucketCount; bucket++)
            {
                latency[bucket] += Volatile.Read(ref _slots[start + BucketsOffset + bucket]);
            }
        }

        return new WindowStats(requests, failures, latency);
    }

    /// <summary>
    /// Adds what slot number <paramref name="slot"/> (timestamp / <see cref="SlotTicks"/>) holds to the sums; nothing when
    /// nothing was recorded in it or it has since been reused. Read a slot once it is closed: its figures are final then.
    /// </summary>
    public void AddSlot(long slot, ref long requests, ref long failures, Span<long> latency)
    {
        if (slot < 0)
        {
            return;
        }

        var start = (int)(slot % SlotCount) * Stride;
        if (Volatile.Read(ref _slots[start + PeriodOffset]) != slot)
        {
            return;
        }

        requests += Volatile.Read(ref _slots[start + RequestsOffset]);
        failures += Volatile.Read(ref _slots[start + FailuresOffset]);
        for (var bucket = 0; bucket < LatencyHistogram.BucketCount; bucket++)
        {
            latency[bucket] += Volatile.Read(ref _slots[start + BucketsOffset + bucket]);
        }
    }
}
